"""Tests of leaflet/schema/monograph.schema.json against the loader: both accept the same valid files and both
refuse the structural mistakes.

The YAML is read for jsonschema with PyYAML's BaseLoader, so every scalar stays a string, as in leaflet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from leaflet.errors import ContentError
from leaflet.loaders import dump_monograph, load_monograph
from tests.loaders.support import SAMPLE, SCHEMA, SEED_TEXT, VALID, YAML_FIXTURES

STRUCTURAL = [
    "unknown_top_key_bdy",
    "unknown_key_heding",
    "unknown_key_warnnig",
    "unknown_key_in_section",
    "unknown_key_in_list",
    "heading_and_list",
    "body_is_text",
    "section_body_is_text",
    "list_is_mapping",
    "list_is_text",
    "title_is_list",
    "drug_is_mapping",
    "top_level_is_list",
    "top_level_is_text",
    "list_item_is_list",
    "unquoted_colon_in_list_item",
    "block_mapping_neither",
    "block_lead_without_list",
    "missing_title",
    "missing_language",
    "missing_revised",
    "missing_body",
    "title_empty",
    "title_empty_quoted",
    "title_blank_quoted",
    "heading_empty",
    "paragraph_empty",
    "body_empty_list",
    "list_empty",
    "language_bad",
    "date_malformed",
    "table_without_rows",
    "table_row_is_text",
    "table_bad_span",
    "table_cell_unknown_key",
    "figure_missing_alt",
    "figure_alt_empty",
    "figure_absolute_path",
    "figure_outside_root",
    "notice_bad_kind",
    "notice_empty",
    "list_and_steps",
    "start_on_bulleted_list",
    "start_not_a_number",
    "nested_item_without_text",
    "lead_without_steps",
]
"""Invalid fixtures whose mistake is in the shape or text of the document, which a JSON schema can see."""


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def as_data(path: Path) -> Any:
    """The document at ``path`` as plain data, every scalar a string."""
    return as_data_text(path.read_text(encoding="utf-8-sig"))


def as_data_text(text: str) -> Any:
    return yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader builds only str, list and dict


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """This test ensures that the schema file is itself a valid JSON Schema of the draft it names."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", [SAMPLE, *VALID], ids=["content-baclofen", *(path.stem for path in VALID)])
def test_valid_monographs_match_the_schema(validator: jsonschema.protocols.Validator, path: Path) -> None:
    """This test ensures that the sample and every valid fixture (which the loader accepts) validate."""
    load_monograph(path)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(as_data(path))]
    assert errors == []


def test_imported_seed_written_as_yaml_matches_the_schema(validator: jsonschema.protocols.Validator) -> None:
    """This test ensures that what the YAML writer produces (from the imported seed) validates."""
    text = dump_monograph(load_monograph(SEED_TEXT), revised="2026-11-24")
    validator.validate(as_data_text(text))


@pytest.mark.parametrize("name", STRUCTURAL)
def test_structural_mistakes_are_refused_by_schema_and_loader(
    validator: jsonschema.protocols.Validator, name: str
) -> None:
    """This test ensures that a structural mistake is refused by the schema and by the loader alike."""
    path = YAML_FIXTURES / "invalid" / f"{name}.yaml"
    assert not validator.is_valid(as_data(path))
    with pytest.raises(ContentError):
        load_monograph(path)


def test_the_schema_lists_the_keys_the_loader_knows() -> None:
    """This test ensures that the schema's keys are the loader's: top level, sections, warnings and lists."""
    from leaflet.loaders import yaml_loader

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    definitions = schema["$defs"]
    assert set(schema["properties"]) == set(yaml_loader.TOP_KEYS)
    assert set(schema["required"]) == set(yaml_loader.REQUIRED_TOP_KEYS)
    assert set(definitions["list"]["properties"]) == set(yaml_loader.LIST_KEYS)
    assert set(definitions["section"]["properties"]) | set(definitions["warning"]["properties"]) == set(
        yaml_loader.SECTION_KEYS
    )
    assert schema["properties"]["language"]["pattern"] == yaml_loader._LANGUAGE.pattern


def test_the_schema_lists_the_keys_of_tables_figures_notices_and_items() -> None:
    """This test ensures that the schema's keys of the issue-12 blocks are the loader's, and its notice kinds
    the model's."""
    from leaflet.loaders import yaml_blocks
    from leaflet.model import NOTICE_KINDS

    definitions = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]
    assert set(definitions["table"]["properties"]["table"]["properties"]) == set(yaml_blocks.TABLE_KEYS)
    assert set(definitions["cell"]["oneOf"][1]["properties"]) == set(yaml_blocks.CELL_KEYS)
    assert set(definitions["figure"]["properties"]) == set(yaml_blocks.FIGURE_KEYS)
    assert set(definitions["notice"]["properties"]) == set(yaml_blocks.NOTICE_KEYS)
    assert set(definitions["item"]["oneOf"][1]["properties"]) == set(yaml_blocks.ITEM_KEYS)
    assert tuple(definitions["notice"]["properties"]["kind"]["enum"]) == NOTICE_KINDS


def test_a_written_monograph_with_every_block_matches_the_schema(
    validator: jsonschema.protocols.Validator, tmp_path: Path
) -> None:
    """This test ensures that the writer's form of tables, steps, nested lists, figures and notices validates."""
    text = dump_monograph(load_monograph(YAML_FIXTURES / "valid" / "blocks.yaml"), revised="2026-11-24")
    validator.validate(as_data_text(text))
