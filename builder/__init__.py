"""Regional Briefings: a static site generator for bilingual regional economic briefings."""

__version__ = "0.1.0"
