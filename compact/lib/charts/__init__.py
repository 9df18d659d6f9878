"""Charts drawn on the server as SVG, for pages and PDFs alike (issue 20).

A chart is a ``Chart`` (``base.py``): the SVG, a title, a text alternative, a legend and the
data table it was drawn from. Pages and PDF templates show one with
``{% include "charts/_figure.html" with chart=… %}``. Each kind of chart has its module:
``bars`` (horizontal bars), ``choropleth`` (the world shaded by a count per country), and
the others issue 20 adds beside it.
"""
