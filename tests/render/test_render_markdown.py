"""Markdown rendering: tables, lists, Vietnamese heading ids and the table of contents."""

import unicodedata

import pytest

from app.render import Rendered, TocEntry, render_markdown, slugify
from tests.render.html_probe import probe


def test_tables_get_bootstrap_classes_and_keep_column_alignment():
    html = render_markdown("| STT | Nội dung |\n|:---:|--------:|\n| 1 | Tiếp nhận |\n").html

    assert '<table class="table table-bordered table-sm">' in html
    assert '<th align="center">STT</th>' in html
    assert '<td align="right">Tiếp nhận</td>' in html
    assert "style=" not in html


def test_author_supplied_table_classes_and_styles_are_replaced():
    html = render_markdown('<table class="evil" style="position:fixed"><tr><td>x</td></tr></table>').html

    assert 'class="table table-bordered table-sm"' in html
    assert "evil" not in html
    assert "position" not in html


def test_table_cells_keep_numeric_colspan_and_rowspan_only():
    html = render_markdown('<table><tr><td colspan="2" rowspan="x">a</td></tr></table>').html

    assert 'colspan="2"' in html
    assert "rowspan" not in html


def test_bulleted_and_numbered_lists_render_as_lists():
    html = render_markdown("- Một\n- Hai\n\n3. Ba\n4. Bốn\n").html

    assert "<ul>\n<li>Một</li>\n<li>Hai</li>\n</ul>" in html
    assert '<ol start="3">' in html
    assert "<li>Bốn</li>" in html


def test_headings_get_vietnamese_ids_with_d_folded():
    html = render_markdown("## Đăng ký hồ sơ\n").html

    assert '<h2 id="dang-ky-ho-so">Đăng ký hồ sơ</h2>' in html


@pytest.mark.parametrize("title, slug", [
    ("Đăng ký hồ sơ", "dang-ky-ho-so"),
    ("QUY TRÌNH ĐÁNH GIÁ NỘI BỘ", "quy-trinh-danh-gia-noi-bo"),
    ("Điều 5. Trách nhiệm – thực hiện", "dieu-5-trach-nhiem-thuc-hien"),
    ("Mục 1: Phạm vi áp dụng", "muc-1-pham-vi-ap-dung"),
    ("***", "muc"),
])
def test_slugify_folds_vietnamese_to_ascii_hyphenated_ids(title, slug):
    assert slugify(title) == slug


def test_very_long_headings_get_ids_short_enough_to_survive_sanitising():
    title = "Quy trình " * 40
    rendered = render_markdown(f"## {title}\n")

    assert len(rendered.toc[0].id) <= 80
    assert f'id="{rendered.toc[0].id}"' in rendered.html


def test_repeated_headings_get_unique_ids():
    toc = render_markdown("## Đăng ký hồ sơ\n\n## Đăng ký hồ sơ\n\n## Dang ky ho so\n").toc

    ids = [entry.id for entry in toc]
    assert ids[0] == "dang-ky-ho-so"
    assert len(set(ids)) == 3


def test_toc_lists_every_heading_in_document_order():
    rendered = render_markdown("# Quy trình\n\n## 1. Mục đích\n\n### Bước 1\n\n## 2. Phạm vi\n")

    assert rendered.toc == [
        TocEntry(1, "quy-trinh", "Quy trình"),
        TocEntry(2, "1-muc-dich", "1. Mục đích"),
        TocEntry(3, "buoc-1", "Bước 1"),
        TocEntry(2, "2-pham-vi", "2. Phạm vi"),
    ]


def test_toc_titles_are_plain_text_and_toc_html_escapes_them():
    rendered = render_markdown("## Hồ sơ & **biểu mẫu** <b>mới</b>\n")

    assert rendered.toc[0].title == "Hồ sơ & biểu mẫu mới"
    assert "Hồ sơ &amp; biểu mẫu mới" in rendered.toc_html
    assert "<b>" not in rendered.toc_html and "<strong>" not in rendered.toc_html


def test_toc_html_nests_subheadings_under_their_parent():
    toc_html = render_markdown("## Một\n\n### Một a\n\n## Hai\n").toc_html

    assert toc_html == (
        '<ul><li><a href="#mot">Một</a><ul><li><a href="#mot-a">Một a</a></li></ul></li>'
        '<li><a href="#hai">Hai</a></li></ul>'
    )


def test_decomposed_input_renders_like_composed_input():
    composed = "## Quy trình đăng ký\n\nHồ sơ hợp lệ.\n"
    decomposed = unicodedata.normalize("NFD", composed)

    assert render_markdown(decomposed) == render_markdown(composed)


def test_fenced_code_is_escaped_and_keeps_its_language_class():
    html = render_markdown("```python\nif a < b: print('<b>')\n```\n").html

    assert '<pre><code class="language-python">' in html
    assert "if a &lt; b: print('&lt;b&gt;')" in html


def test_inline_formatting_survives_sanitising():
    html = render_markdown("**đậm** *nghiêng* `mã` H<sub>2</sub>O x<sup>2</sup> <del>cũ</del> <mark>lưu ý</mark>\n\n> trích\n\n---\n").html

    for fragment in ("<strong>đậm</strong>", "<em>nghiêng</em>", "<code>mã</code>", "<sub>2</sub>",
                     "<sup>2</sup>", "<del>cũ</del>", "<mark>lưu ý</mark>", "<blockquote>", "<hr>"):
        assert fragment in html


def test_links_keep_href_and_title_and_get_noopener_noreferrer():
    html = render_markdown('[Cổng dịch vụ](https://dichvucong.gov.vn "Cổng DVC")\n').html

    assert 'href="https://dichvucong.gov.vn"' in html
    assert 'title="Cổng DVC"' in html
    assert 'rel="noopener noreferrer"' in html


def test_images_with_relative_and_https_sources_are_kept():
    html = render_markdown("![sơ đồ](/static/so-do.png) ![logo](https://sokhcn.gov.vn/logo.png)\n").html

    assert '<img alt="sơ đồ" src="/static/so-do.png">' in html
    assert 'src="https://sokhcn.gov.vn/logo.png"' in html


def test_mailto_is_allowed_on_links_but_not_on_images():
    html = render_markdown("[thư](mailto:vanphong@sokhcn.gov.vn) ![x](mailto:a@b.vn)\n").html

    assert 'href="mailto:vanphong@sokhcn.gov.vn"' in html
    assert 'src="mailto' not in html


def test_attribute_list_syntax_is_left_as_text():
    html = render_markdown("## Tiêu đề {: onclick=\"alert(1)\" .x }\n").html

    (tag, attributes), = probe(html).elements
    assert tag == "h2" and list(attributes) == ["id"]
    assert "{: onclick=" in html


def test_toc_marker_stays_literal_because_the_page_places_the_toc():
    assert "[TOC]" in render_markdown("[TOC]\n\n## Một\n").html


def test_empty_text_renders_to_an_empty_result():
    assert render_markdown("") == Rendered(html="", toc=[], toc_html="")


def test_a_full_procedure_renders_every_step(procedure_text):
    rendered = render_markdown(procedure_text)

    steps = [entry for entry in rendered.toc if entry.level == 3]
    assert len(steps) == procedure_text.count("### Bước")
    assert steps[0].id == "buoc-1-tiep-nhan-va-kiem-tra-ho-so-dang-ky-lan-1"
    assert rendered.html.count('<table class="table table-bordered table-sm">') == len(steps)
