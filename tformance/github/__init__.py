"""The GitHub client: see tformance.github.client.GitHubClient and tformance.github.oauth."""
