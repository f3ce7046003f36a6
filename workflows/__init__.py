"""Studio workflows around a published plan: timesheets and pay, invoices, run-of-show, claim-safe
talk tracks and highlight clips.

Pure functions over DataFrames and small dataclasses; reading and writing files happens in
`workflows.io` and the command line (`python -m workflows`).
"""
