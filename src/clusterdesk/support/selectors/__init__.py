"""Reads of the support domain, one module per thing returned: cases (and who may see
them), experts (and the suggestions for a case), the pipeline figures, the funding
programmes that fit a case."""
