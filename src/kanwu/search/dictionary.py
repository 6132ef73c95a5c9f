"""Loads the site dictionary (SiteWord rows) into the segmenter of this process."""

from __future__ import annotations

from kanwu import textanalysis as analysis
from kanwu.search.models import SiteWord


def site_dictionary_load() -> bool:
    """Make segmentation use the current site dictionary; True when it changed."""
    return analysis.use_site_words(SiteWord.objects.values_list("word", "weight"))
