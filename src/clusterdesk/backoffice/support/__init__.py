"""The staff's pages of SME support: cases, the expert network, the pipeline and the
funding programmes (``support_urls.py``, namespace ``support``)."""
