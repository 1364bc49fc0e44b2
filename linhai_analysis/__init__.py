"""linhai-analysis: reconcile the 2022 Linhai Government Work Report with statistical
series and judge its targets by trend regression.

Importing the package is light (pandas only); plotting, statsmodels and notebook
tooling load in the modules that use them.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
