"""Reading seed documents into records: layouts, partner lines, types of assistance, merging."""
