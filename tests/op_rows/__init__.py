"""The op table's rows, one module per family of ops (see tests/op_table.py)."""
