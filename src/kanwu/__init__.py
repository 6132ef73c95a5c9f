"""kanwu: a Chinese-first publishing system for news and article portals."""

__version__ = "0.1.0"
