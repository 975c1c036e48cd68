"""Files made from a period's results: XLSX (``xlsx.period_xlsx``) and PDF (``pdf.period_pdf``,
``pdf.province_pdf``). They take what the caller may see: the views decide who gets them."""
