# Makes templates/ the package derive.templates, so the jinja2 templates ship inside the wheel.
