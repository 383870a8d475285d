"""Neural-network modules built on autograd's primitives (PyTorch's names and shapes)."""
