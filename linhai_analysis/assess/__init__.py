"""The assessment wing: judgements built on claims and models — reconciliation,
plausibility, outcomes, the outside view, backtests and sensitivity. No plotting here.
"""
