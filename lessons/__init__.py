"""Learning from the program: lessons and improvement proposals, compliance audits
and non-compliances, measurement, and the trace from finding to deployed practice."""
