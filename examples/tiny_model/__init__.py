"""A tiny regression model written with the pitfalls of graph code left in on purpose."""
