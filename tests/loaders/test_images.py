"""Tests of the checks on figures' pictures (leaflet/loaders/images.py): the format told by the bytes, the
size read from the header and bounded before decoding, files confined to the content folder."""

from __future__ import annotations

import base64
import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from leaflet.loaders.images import MAX_IMAGE_BYTES, ImageRefusedError, check_image, header_size, read_image


def picture(kind: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def refused(read: object) -> str:
    with pytest.raises(ImageRefusedError) as caught:
        read()  # type: ignore[operator]
    return caught.value.code


def test_the_format_is_told_by_the_bytes_not_the_name(tmp_path: Path) -> None:
    """This test ensures that a PNG named .jpg is read as PNG, and a text file named .png is refused."""
    (tmp_path / "photo.jpg").write_bytes(picture("PNG"))
    assert read_image("photo.jpg", tmp_path).format == "png"
    (tmp_path / "fake.png").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert refused(lambda: read_image("fake.png", tmp_path)) == "figure-not-image"


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_the_header_gives_the_size_pillow_decodes(kind: str) -> None:
    """This test ensures that the size read from the header is the picture's, for PNG and JPEG (progressive too)."""
    data = picture(kind, (123, 45))
    assert header_size(data, kind.lower()) == (123, 45)
    if kind == "JPEG":
        buffer = io.BytesIO()
        Image.new("L", (77, 66)).save(buffer, format="JPEG", progressive=True)
        assert header_size(buffer.getvalue(), "jpeg") == (77, 66)


def test_a_jpeg_bomb_is_refused_from_its_header_before_decoding() -> None:
    """This test ensures that a JPEG whose frame header claims 60000 x 60000 pixels is refused on the
    header alone (the rest of the file is not even a picture)."""
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 60000, 60000, 1) + b"\x01\x11\x00"
    data = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"\x00\x00" + frame + b"\x00" * 100
    assert header_size(data, "jpeg") == (60000, 60000)
    assert refused(lambda: check_image(data)) == "figure-too-many-pixels"


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    """This test ensures that a picture file over 4 MiB is refused (from its size, not by decoding it)."""
    (tmp_path / "big.png").write_bytes(picture("PNG")[:16] + b"\0" * MAX_IMAGE_BYTES)
    assert refused(lambda: read_image("big.png", tmp_path)) == "figure-refused"
    too_long = "data:image/png;base64," + "A" * (MAX_IMAGE_BYTES * 4 // 3 + 8)
    assert refused(lambda: read_image(too_long, tmp_path)) == "figure-too-large"


@pytest.mark.parametrize(
    "source",
    ["../outside.png", "/etc/hosts", "images/../../outside.png", "C:\\pictures\\pen.png", "..\\outside.png"],
)
def test_a_path_out_of_the_content_folder_is_refused(tmp_path: Path, source: str) -> None:
    """This test ensures that absolute paths (Unix or Windows) and '..' are refused before any file is opened."""
    (tmp_path / "outside.png").write_bytes(picture("PNG"))
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    assert refused(lambda: read_image(source, content)) == "figure-outside-root"


def test_a_folder_or_a_link_out_is_refused(tmp_path: Path) -> None:
    """This test ensures that a folder named like a picture, and a link to a picture outside, are refused."""
    (tmp_path / "outside.png").write_bytes(picture("PNG"))
    content = tmp_path / "content"
    (content / "folder.png").mkdir(parents=True)
    (content / "link.png").symlink_to(tmp_path / "outside.png")
    assert refused(lambda: read_image("folder.png", content)) == "figure-refused"
    assert refused(lambda: read_image("link.png", content)) == "figure-outside-root"


def test_a_data_uri_is_decoded_and_checked(tmp_path: Path) -> None:
    """This test ensures that a base64 data URI (white space allowed, as wrapped in XML) gives the picture,
    whatever type it declares, and a damaged one is refused."""
    encoded = base64.b64encode(picture("JPEG")).decode()
    wrapped = "\n ".join(encoded[index : index + 60] for index in range(0, len(encoded), 60))
    assert read_image(f"data:image/jpeg;base64,{wrapped}", tmp_path).format == "jpeg"
    assert refused(lambda: read_image("data:image/png;base64,AAA", tmp_path)) == "figure-bad-uri"
    assert read_image("data:image/png;base64," + encoded, tmp_path).format == "jpeg"  # the bytes decide


def test_one_picture_named_many_times_is_bounded_in_all(tmp_path: Path) -> None:
    """This test ensures that a small monograph naming the same picture over and over cannot make the loader
    hold gigabytes: past 32 MiB of pictures (or 100 figures) it is a figure-too-many error."""
    from leaflet.errors import ContentError
    from leaflet.loaders import load_monograph
    from tests.loaders.support import HEAD

    noise = Image.frombytes("L", (2000, 2000), bytes(range(256)) * (2000 * 2000 // 256) + bytes(2000 * 2000 % 256))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    big = buffer.getvalue()
    assert 3 * 2**20 < len(big) < MAX_IMAGE_BYTES
    (tmp_path / "big.png").write_bytes(big)
    figures = "".join("  - figure: big.png\n    alt: Big\n" for _ in range(12))
    (tmp_path / "m.yaml").write_text(HEAD + "body:\n" + figures, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_monograph(tmp_path / "m.yaml")
    assert {d.code for d in caught.value.diagnostics} == {"figure-too-many"}
