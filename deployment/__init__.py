"""Process assets and their versions, standard process sets, deployment plans,
project deployments with tailoring and training, and coverage."""
