"""Open data (公开数据, issue 13 item 6): every published figure as CSV, JSON and xlsx with a
data dictionary, and a Frictionless Data Package describing the CSV files. Reads only
through `planwatch.publication.selectors`: nothing unpublished, no unverified observation."""
