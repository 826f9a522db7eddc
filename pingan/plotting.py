"""Matplotlib set-up so that Chinese labels render on any machine.

The font is Noto Sans CJK SC (SIL Open Font License), shipped inside the
``mplfonts`` package that pingan installs, so no system font is needed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["cjk_font_path", "use_cjk_font", "CJK_FONT_NAME"]

CJK_FONT_NAME = "Noto Sans CJK SC"
_FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> Path:
    """Return the path of the bundled Noto Sans CJK SC font file.

    Returns
    -------
    pathlib.Path
        An OpenType file inside the installed ``mplfonts`` package.

    Raises
    ------
    FileNotFoundError
        If ``mplfonts`` is installed without its fonts.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    path = Path(str(resources.files("mplfonts") / "fonts" / _FONT_FILE))
    if not path.is_file():
        raise FileNotFoundError(
            f"The CJK font {path} is missing; reinstall it with "
            "'pip install --force-reinstall mplfonts'."
        )
    return path


def use_cjk_font() -> str:
    """Register the bundled CJK font and make it matplotlib's default.

    Latin text falls back to DejaVu Sans. The minus sign is drawn as an ASCII
    hyphen, which every font has.

    Returns
    -------
    str
        The font family name now first in ``font.sans-serif``.

    Examples
    --------
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    >>> mpl.rcParams["font.sans-serif"][0]
    'Noto Sans CJK SC'
    """
    path = cjk_font_path()
    known = {Path(f.fname) for f in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(str(path))
    mpl.rcParams["font.family"] = ["sans-serif"]
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != CJK_FONT_NAME]
    mpl.rcParams["font.sans-serif"] = [CJK_FONT_NAME, *rest]
    mpl.rcParams["axes.unicode_minus"] = False
    return CJK_FONT_NAME
