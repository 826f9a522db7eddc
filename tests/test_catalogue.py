"""Catalogue, framework, areas and population: validation lists every offender."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pingan.areas import AreaResolver, population_for_quarters, read_areas
from pingan.catalogue import read_catalogue, read_framework
from pingan.exceptions import DataQualityWarning, InputError

HEADER = "indicator,direction,department,dimension,domain,points,method,params\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def framework(tmp_path: Path) -> pd.DataFrame:
    return read_framework(
        write(
            tmp_path,
            "framework.csv",
            "code,level,parent\nSO,domain,\nDI,domain,\n"
            "d1,dimension,SO\nd2,dimension,DI\n",
        )
    )


def test_catalogue_reads_types(tmp_path, framework):
    path = write(
        tmp_path,
        "c.csv",
        HEADER + "A,-1,p,d1,SO,70,deduction,per_event=2\n"
        "B,1,q,d2,DI,30,target,target=95\n",
    )
    cat = read_catalogue(path, framework)
    assert cat["direction"].tolist() == [-1, 1]
    assert cat["params"].tolist() == [{"per_event": 2.0}, {"target": 95.0}]
    assert cat["denominator"].tolist() == ["none", "none"]


def test_catalogue_chinese_headers(tmp_path):
    text = "指标代码,方向,责任单位,维度,领域,分值,计分方法\nA,负向,p,d1,SO,100,minmax\n"
    cat = read_catalogue(write(tmp_path, "c.csv", text))
    assert cat.loc[0, "direction"] == -1


def test_catalogue_lists_every_offender(tmp_path, framework):
    path = write(
        tmp_path,
        "c.csv",
        HEADER
        + "A,-1,p,d1,SO,50,minmax,\n"
        + "A,2,p,d1,SO,20,minmax,\n"
        + "B,-1,p,d9,SO,10,ranking,\n"
        + "C,-1,p,d2,SO,10,deduction,\n",
    )
    with pytest.raises(InputError) as err:
        read_catalogue(path, framework)
    text = str(err.value)
    assert "direction must be -1" in text
    assert "method must be one of" in text
    assert "needs the parameter(s) per_event" in text
    assert "duplicate indicator id" in text
    assert "unknown dimension" in text
    assert "belongs to domain 'DI'" in text
    assert "row 3" in text


def test_catalogue_points_must_sum_to_100(tmp_path):
    path = write(
        tmp_path, "c.csv", HEADER + "A,-1,p,d1,SO,50,minmax,\nB,-1,p,d2,DI,40,minmax,\n"
    )
    with pytest.raises(
        InputError, match=r"sum to 90, not 100 \(by domain: DI 40, SO 50\)"
    ):
        read_catalogue(path)


def test_catalogue_unknown_department(tmp_path):
    path = write(tmp_path, "c.csv", HEADER + "A,-1,p|zz,d1,SO,100,minmax,\n")
    depts = pd.DataFrame({"department": ["p"]})
    with pytest.raises(InputError, match="value 'zz': indicator A: unknown department"):
        read_catalogue(path, departments=depts)


def test_catalogue_missing_column(tmp_path):
    path = write(tmp_path, "c.csv", "indicator,direction\nA,-1\n")
    with pytest.raises(InputError, match="missing required column 'department'"):
        read_catalogue(path)


def test_framework_rejects_orphan_dimension(tmp_path):
    path = write(tmp_path, "f.csv", "code,level,parent\nd1,dimension,XX\n")
    with pytest.raises(InputError, match="parent is not a domain"):
        read_framework(path)


class TestAreas:
    @pytest.fixture
    def resolver(self, tmp_path) -> AreaResolver:
        text = (
            "area_code,name_zh,name_en,type,aliases\n"
            "530129001,仁德街道,Rende,街道,仁德|仁德镇\n"
            "530129002,塘子街道,Tangzi,街道,\n"
        )
        return AreaResolver(read_areas(write(tmp_path, "areas.csv", text)))

    def test_codes_names_and_aliases(self, resolver):
        assert resolver.resolve(
            [
                "仁德",
                "仁德镇",
                "Tangzi",
                "530129002",
                "仁德 街道",
                "仁德　街道",
                "ＲＥＮＤＥ",
            ]
        ) == [
            "530129001",
            "530129001",
            "530129002",
            "530129002",
            "530129001",
            "530129001",
            "530129001",
        ]

    def test_unknown_names_listed_with_nearest(self, resolver):
        with pytest.raises(InputError) as err:
            resolver.resolve(["仁德街", "Tangzhi", "仁德"])
        text = str(err.value)
        assert "2 problems" in text
        assert "value '仁德街'" in text
        assert "nearest known: 仁德街道" in text
        assert "value 'Tangzhi'" in text

    def test_name_shared_by_two_areas(self, tmp_path):
        text = "area_code,name_zh,aliases\n1,甲镇,\n2,乙镇,甲镇\n"
        with pytest.raises(InputError, match="used by areas 1 and 2"):
            read_areas(write(tmp_path, "areas.csv", text))


def test_population_nearest_year_is_flagged():
    pop = pd.DataFrame(
        {
            "area_code": "A",
            "year": [2011, 2024],
            "population": [100.0, 200.0],
            "estimate": False,
        }
    )
    qs = pd.PeriodIndex(["2010Q4", "2024Q1", "2025Q3"], freq="Q")
    with pytest.warns(DataQualityWarning, match="2 area-quarter population"):
        out = population_for_quarters(pop, qs)
    assert out["population"].tolist() == [100.0, 200.0, 200.0]
    assert out["population_imputed"].tolist() == [True, False, True]
