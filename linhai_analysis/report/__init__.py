"""The report wing: what a reader sees — display helpers, labels, plots, tables and
the workbook, findings, output folders and the rendering of the notebooks.
"""
