"""The insights engine: rules over the metrics -> a short ranked list of findings."""
