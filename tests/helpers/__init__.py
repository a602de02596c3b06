"""What tests share: builders, checks and the fixtures more than one folder uses."""
