"""Template builders of the document types added after v3, one module per type: each `build(k)`
returns the python-docx Document of the type's v1, written with the helpers of build_templates.py
(passed in as `k`, so that they see the version being built) and its v3 conventions."""
