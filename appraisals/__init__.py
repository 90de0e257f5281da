"""Appraisals (SCAMPI A, B, C): scope, team, the characterization grid, evidence,
findings, ratings and reports; and the process improvement needs they raise."""
