"""PDF builders (reportlab): plain data in, PDF bytes out."""
