"""The network coordinator's page, in parts: the tables of what was received and the
charts of the merged numbers."""
