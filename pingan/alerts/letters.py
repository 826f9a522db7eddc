"""Warning letters: one per recipient and quarter, as HTML and Word files.

A letter lists the recipient's warnings with their evidence and what to fix
first, and compares the recipient's results with all areas of the dataset's
territory (the county unless the dataset names another). A small chart
follows, and the letter ends with what the recipient must do. The wording lives in
``pingan/templates/letter_text.yaml`` and the page layout in
``pingan/templates/letter_<language>.html.j2``.
"""

from __future__ import annotations

import base64
import io
import json
import os
import warnings
from importlib import resources
from pathlib import Path
from typing import Literal

import jinja2
import matplotlib as mpl
import numpy as np
import pandas as pd
import yaml
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from matplotlib.figure import Figure

from pingan._validation import check_columns, check_option
from pingan.alerts.checks import RuleInputs
from pingan.alerts.drivers import as_period
from pingan.alerts.rules import LEVELS
from pingan.exceptions import PinganWarning
from pingan.i18n import label
from pingan.io import atomic_path, write_text
from pingan.periods import parse_quarter, quarter_label

__all__ = [
    "LETTER_COLUMNS",
    "letter_names",
    "letter_context",
    "render_letter_html",
    "write_letter_docx",
    "evidence_chart",
    "write_letters",
]

LETTER_COLUMNS = ["recipient_type", "recipient_id", "level", "warnings", "html", "docx"]
_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("pingan", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    keep_trailing_newline=True,
)


def _phrases(language: str, region: str | None = None) -> dict:
    """Load a language's phrases with the territory's name filled in.

    ``region`` is the name of the dataset's whole territory. Without it, the
    phrases speak of the county and the county office signs the letters.
    """
    text = (
        resources.files("pingan")
        .joinpath("templates/letter_text.yaml")
        .read_text("utf-8")
    )
    name = region or label("region", language)
    phrases = _fill_region(yaml.safe_load(text)[language], name)
    if region:
        phrases["issuer"] = phrases["issuer_region"]
    return phrases


def _fill_region(phrases: object, name: str) -> object:
    """Replace ``{{ region }}`` and ``{{ Region }}`` in every phrase by ``name``.

    Plain replacement rather than Jinja rendering, because the rule and
    request phrases still have fields that are rendered later.
    """
    if isinstance(phrases, dict):
        return {key: _fill_region(value, name) for key, value in phrases.items()}
    if isinstance(phrases, str):
        capitalised = name[:1].upper() + name[1:]
        return phrases.replace("{{ region }}", name).replace(
            "{{ Region }}", capitalised
        )
    return phrases


def _say(template: str, **values: object) -> str:
    return jinja2.Environment(autoescape=False).from_string(template).render(**values)


def letter_names(
    areas: pd.DataFrame | None = None,
    departments: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    framework: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Collect the display names of areas, departments, indicators and domains.

    Parameters
    ----------
    areas, departments, catalogue, framework : pandas.DataFrame, optional
        The dataset tables (``area_code``, ``department``, ``indicator`` and
        ``code`` with ``name_zh`` and ``name_en``).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind`` (str: area, department, indicator, domain),
        ``code`` (str), ``name_zh`` and ``name_en`` (str).

    Examples
    --------
    >>> areas = pd.DataFrame({"area_code": ["530129001"], "name_zh": ["仁德街道"],
    ...     "name_en": ["Rende"]})
    >>> letter_names(areas=areas).iloc[0].tolist()
    ['area', '530129001', '仁德街道', 'Rende']
    """
    parts = []
    for kind, table, key in [
        ("area", areas, "area_code"),
        ("department", departments, "department"),
        ("indicator", catalogue, "indicator"),
        ("domain", framework, "code"),
    ]:
        if table is None:
            continue
        part = table[[key, "name_zh", "name_en"]].rename(columns={key: "code"})
        parts.append(part.assign(kind=kind, code=part["code"].astype(str)))
    columns = ["kind", "code", "name_zh", "name_en"]
    return (
        pd.concat(parts, ignore_index=True)[columns]
        if parts
        else pd.DataFrame(columns=columns)
    )


def _namer(names: pd.DataFrame | None, language: str):
    """Return ``name(kind, code)``, falling back to the code itself."""
    lookup = {}
    if names is not None and len(names):
        lookup = dict(
            zip(
                zip(names["kind"], names["code"], strict=True),
                names[f"name_{language}"],
                strict=True,
            )
        )
    return lambda kind, code: lookup.get((kind, str(code)), str(code))


def _number(value: object) -> object:
    """Format a number for a letter: whole numbers without decimals, others with 2."""
    if isinstance(value, float):
        if np.isnan(value):
            return "—"
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return value


def _p_statement(p_value: float) -> str:
    """Write a p-value for a letter: ``p = 0.008``, or ``p < 0.001`` below that."""
    if np.isnan(p_value):
        return ""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _sentence(row: pd.Series, text: dict, name) -> str:
    """Render the rule's sentence from the warning's evidence."""
    evidence = {
        k: (np.nan if v is None else v)
        for k, v in json.loads(row["evidence_json"]).items()
    }
    kind = "domain" if row["rule"] == "domain_drop" else "indicator"
    values = {k: _number(v) for k, v in evidence.items()}
    if "change" in evidence:
        values["drop"] = _number(-float(evidence["change"]))
    if "change_pct" in evidence and not np.isnan(evidence["change_pct"]):
        values["change_pct"] = f"{evidence['change_pct']:+.2f}"
    values["base_zero"] = evidence.get("base") == 0
    values["p_statement"] = _p_statement(float(evidence.get("p_value", np.nan)))
    run = row.get("run_length")
    values["run_length"] = None if run is None or pd.isna(run) else int(run)
    values["subject_name"] = name(kind, row["subject"])
    return _say(text["rules"][row["rule"]], **values)


def _follow_up(row: pd.Series, text: dict) -> str:
    status = row.get("status")
    if status is None or pd.isna(status) or status == "open":
        return text["new"]
    return _say(
        text["follow_up"],
        raised=row["quarter_raised"],
        status=text["statuses"].get(status, status),
    )


def _item(row: pd.Series, text: dict, name, join: str) -> dict:
    """Describe one warning as the letter lists it."""
    codes = [c for c in str(row["focus"]).split("|") if c]
    return {
        "warning_id": row["warning_id"],
        "level": row["level"],
        "level_name": text["levels"][row["level"]],
        "sentence": _sentence(row, text, name),
        "focus": join.join(name("indicator", c) for c in codes),
        "follow_up": _follow_up(row, text),
    }


def _department_rows(
    recipient_id: str, inputs: RuleInputs, quarter: pd.Period, text: dict
) -> list[dict]:
    """Compare a department's quality grade and days late with the county."""
    items = text["items"]
    quality = inputs.quality[as_period(inputs.quality["quarter"]) == quarter]
    own = quality[quality["department"] == recipient_id].iloc[0]
    grade = text["grades"].get(own["grade"], own["grade"])
    late = _number(float(own["late_days"]))
    county_late = _number(float(quality["late_days"].mean()))
    return [
        {"item": items["quality_grade"], "own": grade, "county": ""},
        {"item": items["late_days"], "own": late, "county": county_late},
    ]


def _area_rows(
    recipient_id: str, inputs: RuleInputs, quarter: pd.Period, text: dict
) -> list[dict]:
    """Compare an area's index, grade and rank with the county."""
    items = text["items"]
    index = inputs.index[as_period(inputs.index["quarter"]) == quarter]
    own = index[index["area_code"] == recipient_id].iloc[0]
    grade = text["grades"].get(own["grade"], own["grade"])
    return [
        {
            "item": items["index"],
            "own": _number(float(own["index"])),
            "county": _number(float(index["index"].mean())),
        },
        {"item": items["grade"], "own": grade, "county": ""},
        {
            "item": items["rank"],
            "own": f"{int(own['rank'])}/{len(index)}",
            "county": "",
        },
    ]


def _indicator_rows(
    recipient_id: str, inputs: RuleInputs, quarter: pd.Period, indicators, name
) -> list[dict]:
    """Compare an area's values of the involved indicators with the county mean."""
    values = inputs.values[as_period(inputs.values["quarter"]) == quarter]
    rows = []
    for indicator in indicators:
        chosen = values[values["indicator"] == indicator]
        mine = chosen.loc[chosen["area_code"] == recipient_id, "value"]
        own = _number(float(mine.iloc[0])) if len(mine) else "—"
        county = _number(float(chosen["value"].mean()))
        rows.append(
            {"item": name("indicator", indicator), "own": own, "county": county}
        )
    return rows


def _comparison(
    recipient_type: str,
    recipient_id: str,
    inputs: RuleInputs,
    quarter: pd.Period,
    indicators: list[str],
    text: dict,
    name,
) -> list[dict]:
    """Build the rows of the recipient's results against the county."""
    if recipient_type == "department":
        return _department_rows(recipient_id, inputs, quarter, text)
    rows = _area_rows(recipient_id, inputs, quarter, text)
    if inputs.values is not None:
        rows += _indicator_rows(recipient_id, inputs, quarter, indicators, name)
    return rows


def _requests(level: str, focus: str, text: dict) -> list[str]:
    """List what the recipient must do; interviews and notices add a sentence."""
    requests = [_say(text["request"], focus=focus)]
    if LEVELS.index(level) >= LEVELS.index("interview"):
        requests.append(text["request_interview"])
    if level == "notice":
        requests.append(text["request_notice"])
    return requests


def letter_context(
    warnings_table: pd.DataFrame,
    recipient_type: Literal["area", "department"],
    recipient_id: str,
    inputs: RuleInputs,
    quarter: str | pd.Period,
    language: Literal["zh", "en"] = "zh",
    names: pd.DataFrame | None = None,
    issuer: str | None = None,
    region: str | None = None,
) -> dict:
    """Gather the content of one letter, in one language.

    Parameters
    ----------
    warnings_table : pandas.DataFrame
        The quarter's warnings (:func:`pingan.alerts.rules.select_warnings`),
        optionally with ``status`` and ``quarter_raised`` from the register.
    recipient_type : {"area", "department"}
        Kind of recipient.
    recipient_id : str
        Area code or department id.
    inputs : RuleInputs
        The tables the warnings came from (``index``, ``values``,
        ``quality``), used for the comparison with the county.
    quarter : str or pandas.Period
        Reporting quarter.
    language : {"zh", "en"}, default="zh"
        Language of the letter.
    names : pandas.DataFrame, optional
        Display names from :func:`letter_names` (default: the codes).
    issuer : str, optional
        Who signs the letter (default: the public-safety leading group office
        of the county, or of ``region`` when given).
    region : str, optional
        Name of the dataset's whole territory in ``language``
        (:meth:`pingan.datasets.Dataset.region_name`), used wherever the
        letter compares with all areas. Default: the county.

    Returns
    -------
    dict
        Keys ``text`` (the phrases), ``reference``, ``quarter``, ``name``,
        ``intro``, ``level`` (most serious level), ``items`` (one dict per
        warning: ``warning_id``, ``level``, ``level_name``, ``sentence``,
        ``focus``, ``follow_up``), ``comparison`` (dicts ``item``, ``own``,
        ``county``), ``requests`` (sentences), ``issuer`` and ``focus``.

    Notes
    -----
    The request to fix names the focus indicators of the warnings, most
    serious warning first, without repeats. An ``interview`` or ``notice``
    level adds the matching sentence.

    Examples
    --------
    >>> from pingan.alerts._testing import CATALOGUE, make_values, score_values
    >>> from pingan.alerts.rules import evaluate_rules, select_warnings
    >>> r = score_values(make_values())
    >>> inputs = RuleInputs(index=r.index, values=r.values, catalogue=CATALOGUE,
    ...     indicator_scores=r.indicator_scores)
    >>> found = select_warnings(evaluate_rules(inputs, "2025Q4"))
    >>> context = letter_context(found, "area", "530129005", inputs, "2025Q4")
    >>> context["reference"], context["level"]
    ('2025Q4-530129005', 'notice')
    """
    func = "letter_context"
    check_option("recipient_type", recipient_type, ["area", "department"], func)
    check_option("language", language, ["zh", "en"], func)
    check_columns(
        warnings_table,
        [
            "warning_id",
            "recipient_type",
            "recipient_id",
            "rule",
            "level",
            "evidence_json",
            "focus",
        ],
        func,
        "warnings_table",
    )
    quarter = parse_quarter(quarter)
    text, name = _phrases(language, region), _namer(names, language)
    mine = warnings_table[
        (warnings_table["recipient_type"] == recipient_type)
        & (warnings_table["recipient_id"] == recipient_id)
    ]
    mine = mine.sort_values("level", key=lambda c: -c.map(LEVELS.index), kind="stable")
    join = "、" if language == "zh" else ", "
    items = [_item(r, text, name, join) for _, r in mine.iterrows()]
    codes = list(
        dict.fromkeys(c for f in mine["focus"] for c in str(f).split("|") if c)
    )
    level = mine["level"].iloc[0] if len(mine) else "watch"
    label, display = quarter_label(quarter), name(recipient_type, recipient_id)
    focus = join.join(name("indicator", c) for c in codes)
    return {
        "text": text,
        "reference": f"{label}-{recipient_id}",
        "quarter": label,
        "name": display,
        "intro": _say(text["intro"], quarter=label, name=display),
        "level": level,
        "items": items,
        "focus": focus,
        "requests": _requests(level, focus, text),
        "comparison": _comparison(
            recipient_type, recipient_id, inputs, quarter, codes, text, name
        ),
        "issuer": issuer or text["issuer"],
    }


def render_letter_html(
    context: dict, language: Literal["zh", "en"] = "zh", chart: bytes | None = None
) -> str:
    """Render a letter to HTML with ``pingan/templates/letter_<language>.html.j2``.

    Parameters
    ----------
    context : dict
        Output of :func:`letter_context`.
    language : {"zh", "en"}, default="zh"
        Template language; it should match the context's language.
    chart : bytes, optional
        A PNG image, embedded as a data URI.

    Returns
    -------
    str
        A complete UTF-8 HTML page; text is HTML-escaped.

    Examples
    --------
    >>> from pingan.alerts._testing import make_values, score_values
    >>> from pingan.alerts.rules import evaluate_rules, select_warnings
    >>> r = score_values(make_values())
    >>> inputs = RuleInputs(index=r.index)
    >>> found = select_warnings(evaluate_rules(inputs, "2025Q4"))
    >>> html = render_letter_html(letter_context(found, "area", "530129005", inputs,
    ...     "2025Q4", "en"), "en")
    >>> "grade red" in html and "interview with the leaders" in html
    True
    """
    check_option("language", language, ["zh", "en"], "render_letter_html")
    encoded = base64.b64encode(chart).decode("ascii") if chart else None
    template = _ENVIRONMENT.get_template(f"letter_{language}.html.j2")
    return template.render(**context, chart=encoded)


def _series_chart(
    ax,
    recipient_type: str,
    recipient_id: str,
    inputs: RuleInputs,
    quarter: pd.Period,
    text: dict,
) -> None:
    """Draw the recipient's index (or days late) over the last eight quarters."""
    if recipient_type == "department":
        table, column, key = inputs.quality, "late_days", "department"
    else:
        table, column, key = inputs.index, "index", "area_code"
    table = table.assign(quarter=as_period(table["quarter"]))
    table = table[(table["quarter"] > quarter - 8) & (table["quarter"] <= quarter)]
    own = table[table[key] == recipient_id].sort_values("quarter")
    county = table.groupby("quarter")[column].mean()
    labels = [quarter_label(q) for q in county.index]
    position = {q: i for i, q in enumerate(county.index)}

    ax.plot(
        range(len(county)),
        county.to_numpy(),
        color="0.5",
        linestyle="--",
        label=text["chart_county"],
    )

    own_x = [position[q] for q in own["quarter"]]
    if recipient_type == "department":
        ax.bar(own_x, own[column].to_numpy(), color="#c60", label=text["chart_late"])
    else:
        ax.plot(
            own_x,
            own[column].to_numpy(),
            marker="o",
            color="#b00",
            label=text["chart_index"],
        )
    ax.set_xticks(range(len(labels)), labels, rotation=45, fontsize=7)
    ax.legend(fontsize=7)


def _ratio_chart(
    ax,
    recipient_id: str,
    inputs: RuleInputs,
    quarter: pd.Period,
    indicators: list[str],
    text: dict,
    name,
) -> None:
    """Draw the involved indicators as percent of the county mean."""
    values = inputs.values[as_period(inputs.values["quarter"]) == quarter]
    values = values[values["indicator"].isin(indicators)]
    mean = values.groupby("indicator")["value"].mean()
    own = values[values["area_code"] == recipient_id].set_index("indicator")["value"]
    ratio = (100 * own / mean.where(mean != 0)).reindex(indicators)
    ax.barh(
        [name("indicator", c) for c in indicators],
        ratio.fillna(0).to_numpy(),
        color="#36c",
    )
    ax.invert_yaxis()
    ax.axvline(100, color="0.5", linestyle="--")
    ax.set_xlabel(text["chart_ratio"], fontsize=7)
    ax.tick_params(labelsize=7)


def _use_font() -> None:
    """Use the bundled CJK font inside the current rc context, if it can be found."""
    try:
        from pingan.plotting import use_cjk_font

        use_cjk_font()
    except (ImportError, FileNotFoundError) as error:
        warnings.warn(
            f"evidence_chart: Chinese labels may not render ({error}).",
            PinganWarning,
            stacklevel=3,
        )


def evidence_chart(
    recipient_type: Literal["area", "department"],
    recipient_id: str,
    inputs: RuleInputs,
    quarter: str | pd.Period,
    indicators: list[str] | None = None,
    language: Literal["zh", "en"] = "zh",
    names: pd.DataFrame | None = None,
    region: str | None = None,
) -> bytes:
    """Draw a letter's chart and return it as PNG bytes.

    Parameters
    ----------
    recipient_type : {"area", "department"}
        An area gets its index against the county mean over the last eight
        quarters; a department gets its days late against the county mean.
    recipient_id : str
        Area code or department id.
    inputs : RuleInputs
        Tables with ``index`` (areas) or ``quality`` (departments), and
        ``values`` for the indicator panel.
    quarter : str or pandas.Period
        Last quarter shown.
    indicators : list of str, optional
        Indicators to show as percent of the county mean in a second panel.
    language : {"zh", "en"}, default="zh"
        Language of the labels.
    names : pandas.DataFrame, optional
        Display names from :func:`letter_names`.
    region : str, optional
        Name of the dataset's whole territory for the labels of the means
        (default: the county).

    Returns
    -------
    bytes
        A PNG image of about 900 by 330 pixels, without a timestamp, so the
        same inputs give the same bytes.

    Warns
    -----
    PinganWarning
        If the bundled CJK font cannot be loaded; labels then use the default
        font and Chinese characters may show as boxes.

    Examples
    --------
    >>> from pingan.alerts._testing import make_values, score_values
    >>> r = score_values(make_values())
    >>> png = evidence_chart("area", "530129005", RuleInputs(index=r.index), "2025Q4")
    >>> png[:4]
    b'\x89PNG'
    """
    check_option(
        "recipient_type", recipient_type, ["area", "department"], "evidence_chart"
    )
    quarter, text = parse_quarter(quarter), _phrases(language, region)
    panels = 2 if indicators and inputs.values is not None else 1
    buffer = io.BytesIO()
    with mpl.rc_context():
        _use_font()
        figure = Figure(figsize=(7.5, 2.75), dpi=120, layout="constrained")
        axes = figure.subplots(1, panels, squeeze=False)[0]
        _series_chart(axes[0], recipient_type, recipient_id, inputs, quarter, text)
        if panels == 2:
            _ratio_chart(
                axes[1],
                recipient_id,
                inputs,
                quarter,
                indicators,
                text,
                _namer(names, language),
            )
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _docx_table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = value
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def write_letter_docx(
    context: dict, path: str | os.PathLike[str], chart: bytes | None = None
) -> Path:
    """Write a letter as a Word (.docx) file, atomically.

    Parameters
    ----------
    context : dict
        Output of :func:`letter_context`.
    path : str or path-like
        Destination ending in ``.docx``.
    chart : bytes, optional
        A PNG image placed after the comparison table, 16 cm wide.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    The body font is set for both Latin and East Asian text (SimSun for
    Chinese), so Word shows the Chinese text in a Song typeface.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pingan.alerts._testing import make_values, score_values
    >>> from pingan.alerts.rules import evaluate_rules, select_warnings
    >>> r = score_values(make_values())
    >>> inputs = RuleInputs(index=r.index)
    >>> found = select_warnings(evaluate_rules(inputs, "2025Q4"))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "letter.docx"
    >>> context = letter_context(found, "area", "530129005", inputs, "2025Q4")
    >>> write_letter_docx(context, out).stat().st_size > 10000
    True
    """
    text = context["text"]
    document = Document()
    properties = document.core_properties
    properties.author = "pingan"
    properties.title = text["title"]
    properties.comments = f"{context['reference']}"
    properties.last_modified_by = "pingan"
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    document.add_heading(text["title"], level=0)
    document.add_paragraph(f"{text['reference']}: {context['reference']}")
    document.add_paragraph(f"{text['to']} {context['name']}:")
    document.add_paragraph(context["intro"])
    document.add_heading(text["heading_warnings"], level=1)
    header = ["column_level", "column_issue", "column_focus", "column_status"]
    rows = [
        [
            i["level_name"],
            f"{i['sentence']} ({i['warning_id']})",
            i["focus"],
            i["follow_up"],
        ]
        for i in context["items"]
    ]
    _docx_table(document, [text[h] for h in header], rows)
    document.add_heading(text["heading_results"], level=1)
    _docx_table(
        document,
        [text["column_item"], text["column_own"], text["column_county"]],
        [[r["item"], r["own"], r["county"]] for r in context["comparison"]],
    )
    if chart:
        document.add_picture(io.BytesIO(chart), width=Cm(16))
    document.add_heading(text["heading_request"], level=1)
    for line in context["requests"]:
        document.add_paragraph(line)
    document.add_paragraph(f"{context['issuer']}\n{context['quarter']}")
    with atomic_path(path) as tmp:
        document.save(str(tmp))
    return Path(path)


def write_letters(
    warnings_table: pd.DataFrame,
    inputs: RuleInputs,
    quarter: str | pd.Period,
    folder: str | os.PathLike[str],
    language: Literal["zh", "en"] = "zh",
    names: pd.DataFrame | None = None,
    issuer: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Write one HTML and one Word letter per recipient with warnings.

    Parameters
    ----------
    warnings_table : pandas.DataFrame
        The quarter's warnings, optionally with register ``status`` and
        ``quarter_raised`` columns.
    inputs : RuleInputs
        The tables the warnings came from.
    quarter : str or pandas.Period
        Reporting quarter.
    folder : str or path-like
        Output folder, usually ``reports/<dataset>/<quarter>/letters``.
    language : {"zh", "en"}, default="zh"
        Language of the letters.
    names : pandas.DataFrame, optional
        Display names from :func:`letter_names`.
    issuer : str, optional
        Who signs the letters.
    region : str, optional
        Name of the dataset's whole territory in ``language``; see
        :func:`letter_context`.

    Returns
    -------
    pandas.DataFrame
        One row per letter, sorted by recipient:

        - ``recipient_type``, ``recipient_id``: str;
        - ``level``: str, the most serious level in the letter;
        - ``warnings``: int, number of warnings in it;
        - ``html``, ``docx``: str, paths of the files written, named
          ``<recipient_type>-<recipient_id>.<language>.html`` and ``.docx``.

    Examples
    --------
    >>> import tempfile
    >>> from pingan.alerts._testing import make_values, score_values
    >>> from pingan.alerts.rules import evaluate_rules, select_warnings
    >>> r = score_values(make_values())
    >>> inputs = RuleInputs(index=r.index)
    >>> found = select_warnings(evaluate_rules(inputs, "2025Q4"))
    >>> written = write_letters(found, inputs, "2025Q4", tempfile.mkdtemp())
    >>> written[["recipient_id", "level", "warnings"]].head(2)
      recipient_id   level  warnings
    0    530129003  warning         1
    1    530129004   notice         2
    """
    check_option("language", language, ["zh", "en"], "write_letters")
    folder = Path(folder)
    rows = []
    recipients = warnings_table[["recipient_type", "recipient_id"]].drop_duplicates()
    for kind, recipient in sorted(recipients.itertuples(index=False, name=None)):
        context = letter_context(
            warnings_table,
            kind,
            recipient,
            inputs,
            quarter,
            language,
            names,
            issuer,
            region,
        )
        codes = _codes(warnings_table, kind, recipient)
        chart = evidence_chart(
            kind, recipient, inputs, quarter, codes or None, language, names, region
        )
        stem = f"{kind}-{recipient}.{language}"
        page = render_letter_html(context, language, chart)
        html = write_text(page, folder / f"{stem}.html")
        docx = write_letter_docx(context, folder / f"{stem}.docx", chart)
        rows.append(
            {
                "recipient_type": kind,
                "recipient_id": recipient,
                "level": context["level"],
                "warnings": len(context["items"]),
                "html": str(html),
                "docx": str(docx),
            }
        )
    return pd.DataFrame(rows, columns=LETTER_COLUMNS)


def _codes(warnings_table: pd.DataFrame, kind: str, recipient: str) -> list[str]:
    """List the indicators of a recipient's warnings, in order, without repeats."""
    mine = warnings_table[
        (warnings_table["recipient_type"] == kind)
        & (warnings_table["recipient_id"] == recipient)
    ]
    return list(
        dict.fromkeys(c for f in mine["indicators"] for c in str(f).split("|") if c)
    )
