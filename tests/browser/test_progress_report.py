"""Progress charts drawn from real data, with tables that say the same; the physiotherapist report
and its share link, opened without an account."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import (
    SHOTS,
    api_post,
    axe_violations,
    demo_user,
    settled,
    sign_in,
    sign_up,
)
from tests.conftest import checkin_body, session_body

INK = """(id) => {
  const canvas = document.querySelector(`#${id} canvas`);
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked += 1;
  return {inked, width: canvas.width, height: canvas.height};
}"""


@pytest.mark.django_db(transaction=True)
def test_the_charts_are_drawn_from_the_users_weeks(live_server, live_db, context):
    base = live_server.url
    demo_user()
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    with page.expect_response(lambda r: "/api/v1/progress/weekly?weeks=12" in r.url) as answer:
        page.goto(f"{base}/progress")
    api_weeks = answer.value.json()["weeks"]
    page.locator("#sessions-chart canvas").wait_for()
    for chart in ("sessions-chart", "pain-chart"):
        ink = page.evaluate(INK, chart)
        assert ink["width"] > 300 and ink["inked"] > 2000, (chart, ink)

    # the tables carry the same figures, week by week
    rows = page.locator("#sessions-table tbody tr")
    assert rows.count() == len(api_weeks) == 9
    sessions = [int(rows.nth(i).locator("td").first.text_content()) for i in range(rows.count())]
    assert sessions == [w["sessions"] for w in api_weeks]
    pain_rows = page.locator("#pain-table tbody tr")
    shown = [pain_rows.nth(i).locator("td").first.text_content() for i in range(pain_rows.count())]
    assert shown == ["–" if w["pain_mean"] is None else f"{w['pain_mean']:.1f}" for w in api_weeks]
    milestones = page.locator("#milestones").text_content()
    assert (
        "Week 4" in milestones
        and "Week 8" in milestones
        and "lower than in your first" in milestones
    )
    assert page.locator("#streak").text_content().isdigit()


@pytest.mark.django_db(transaction=True)
def test_the_report_prints_and_its_link_opens_without_an_account(live_server, live_db, chromium):
    base = live_server.url
    demo_user()
    owner = chromium.new_context(viewport={"width": 390, "height": 844})
    page = owner.new_page()
    sign_in(page, base, "demo@example.com")
    page.goto(f"{base}/report")
    page.locator("#r-loads tbody tr").first.wait_for()
    assert page.locator("#r-weeks tbody tr").count() == 9
    assert "Clamshell" in page.locator("#r-loads").text_content()
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("button", name="Create a share link").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Create a share link").click()
    link = page.locator("#share-link a").get_attribute("href")
    assert "/report/shared#" in link

    physio = chromium.new_context(viewport={"width": 1024, "height": 900})  # no account at all
    other = physio.new_page()
    other.goto(link)
    other.locator("#r-loads tbody tr").first.wait_for()
    assert other.locator("#r-weeks tbody tr").count() == 9
    assert not other.get_by_role("button", name="Create a share link").is_visible()

    page.get_by_role("button", name="Revoke the link", exact=False).click()
    page.locator("#shares").filter(has_text="revoked").wait_for()
    other.reload()
    other.get_by_text("This link has expired or was revoked").wait_for()
    owner.close()
    physio.close()


# What the charts draw, recorded as they draw it (the canvas keeps only pixels): each text, each
# dashed line drawn as a path of its own, each filled rectangle, with their colours.
RECORD_CANVAS = """
(() => {
  const P = CanvasRenderingContext2D.prototype;
  const log = (ctx, kind, entry) => { const c = ctx.canvas; (c.__drawn ||= []).push({kind, ...entry}); };
  const wrap = (name, fn) => { const original = P[name]; P[name] = function (...args) { fn(this, ...args); return original.apply(this, args); }; };
  wrap("beginPath", (ctx) => { ctx.__path = []; });
  wrap("moveTo", (ctx, x, y) => { (ctx.__path ||= []).push([x, y]); });
  wrap("lineTo", (ctx, x, y) => { (ctx.__path ||= []).push([x, y]); });
  wrap("stroke", (ctx, path) => { if (!path) log(ctx, "line", {style: ctx.strokeStyle, dash: ctx.getLineDash().length > 0, points: ctx.__path || []}); });
  wrap("fillRect", (ctx, x, y, w, h) => log(ctx, "rect", {style: ctx.fillStyle, x, y, w, h}));
  wrap("fillText", (ctx, text) => log(ctx, "text", {text: String(text)}));
})();
"""
DRAWN = "(id) => document.querySelector(`#${id} canvas`).__drawn || []"
PLOT_WIDTH = "(id) => document.querySelector(`#${id} .u-over`).getBoundingClientRect().width * devicePixelRatio"
CSS = "(name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim().toLowerCase()"


def across(drawn, width, style):
    """Dashed lines of the colour drawn level across the whole plot."""
    return [
        d for d in drawn
        if d["kind"] == "line" and d["dash"] and d["style"].lower() == style and len(d["points"]) == 2
        and d["points"][0][1] == d["points"][1][1]
        and d["points"][1][0] - d["points"][0][0] >= width - 2
    ]  # fmt: skip


def whole_percent(pct: float) -> int:
    """A change as the pages write it: whole percent toward zero (29.6% never reads as 30%)."""
    return int(abs(pct) + 1e-9)


def week_x(page, chart, number, weeks):
    """Where week ``number`` is on the chart (the x scale runs half a week past each end), with
    the chart scrolled to the middle of the screen."""
    page.locator(f"#{chart}").evaluate("el => el.scrollIntoView({block: 'center'})")
    box = page.locator(f"#{chart} .u-over").bounding_box()
    first, last = weeks[0]["week_number"], weeks[-1]["week_number"]
    share = (number - (first - 0.5)) / (last - first + 1)
    return box["x"] + share * box["width"], box["y"] + box["height"] / 2


@pytest.mark.django_db(transaction=True)
def test_the_axis_counts_weeks_and_a_tapped_week_shows_its_figures(live_server, live_db, chromium):
    base = live_server.url
    demo_user()
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.add_init_script(RECORD_CANVAS)
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    with page.expect_response(lambda r: "/api/v1/progress/weekly?weeks=12" in r.url) as answer:
        page.goto(f"{base}/progress")
    weeks = answer.value.json()["weeks"]
    page.locator("#pain-chart canvas").wait_for()
    settled(page)
    texts = [d["text"] for d in page.evaluate(DRAWN, "pain-chart") if d["kind"] == "text"]
    assert {"Wk 1", "Wk 5", "Wk 9", "Week 4", "Week 8"} <= set(texts), texts
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    assert not [t for t in texts if t.startswith(months)]  # dates are in the tables, not the axis
    assert "Meaningful improvement" in page.locator("#pain-chart .u-legend").text_content()

    # a tap on week 3 of the pain chart, a hover on week 5 of the sessions chart
    x, y = week_x(page, "pain-chart", 3, weeks)
    page.touchscreen.tap(x, y)
    note = page.locator("#pain-note")
    week3 = weeks[2]
    pct = whole_percent(week3["pain_change_pct"])
    note.filter(has_text="Wk 3 (").wait_for()
    assert f"mean knee pain {week3['pain_mean']:.1f} of 10, {pct}% less than week 1" in (
        note.text_content()
    )
    x, y = week_x(page, "sessions-chart", 5, weeks)
    page.mouse.move(x, y)
    page.locator("#sessions-note").filter(has_text="Wk 5 (").wait_for()
    assert f"{weeks[4]['sessions']} of 3 sessions" in page.locator("#sessions-note").text_content()

    # the tables: weeks with their dates, whole percentages, points with one decimal
    rows = page.locator("#pain-table tbody tr")
    for i, week in enumerate(weeks):
        head, mean, change = (c.text_content() for c in rows.nth(i).locator("th, td").all())
        assert head.startswith(f"Wk {week['week_number']}, week of ")
        assert mean == ("–" if week["pain_mean"] is None else f"{week['pain_mean']:.1f}")
        pct = week["pain_change_pct"]
        if pct is not None and whole_percent(pct):
            assert change == f"{whole_percent(pct)}% {'less' if pct < 0 else 'more'}", change
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_target_week_1_and_band_show_from_the_first_week(live_server, live_db, chromium):
    base = live_server.url
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(RECORD_CANVAS)
    sign_up(context, base)
    today = datetime.now(ZoneInfo("Europe/London")).date()
    monday = today - timedelta(days=today.weekday())
    # two check-ins make a baseline; on a Monday the first week has to be last week
    first = monday if today.weekday() else monday - timedelta(weeks=1)
    for day, pain in ((first, 6), (first + timedelta(days=1), 4)):
        api_post(context, base, "checkins", checkin_body(date=day.isoformat(), pain=pain))
    api_post(context, base, "sessions", session_body(started_at=datetime.now(UTC).isoformat()))
    page = context.new_page()
    page.goto(f"{base}/progress")
    page.locator("#pain-chart canvas").wait_for()
    settled(page)
    assert page.locator("#pain-table tbody tr").count() == (1 if first == monday else 2)

    width = page.evaluate(PLOT_WIDTH, "sessions-chart")
    target = across(page.evaluate(DRAWN, "sessions-chart"), width, page.evaluate(CSS, "--accent"))
    assert target, "the target line"
    pain = page.evaluate(DRAWN, "pain-chart")
    width = page.evaluate(PLOT_WIDTH, "pain-chart")
    assert across(pain, width, page.evaluate(CSS, "--muted")), "the week-1 line"
    band = [
        d
        for d in pain
        if d["kind"] == "rect" and d["style"].lower() == page.evaluate(CSS, "--brand-soft")
    ]
    assert band and band[0]["w"] >= width - 2, "the meaningful-change band"
    assert "Meaningful improvement" in page.locator("#pain-chart .u-legend").text_content()
    context.close()


def function_cells(page, table):
    rows = page.locator(f"#{table} tbody tr")
    return [
        [c.text_content() for c in rows.nth(i).locator("td").all()] for i in range(rows.count())
    ]


def expected_function(weeks):
    keys = ("stairs", "sitting", "squatting", "walking")
    return [
        ["–" if w["function"][k] is None else f"{w['function'][k]:.1f}" for k in keys]
        for w in weeks
    ]


@pytest.mark.django_db(transaction=True)
def test_the_function_answers_show_in_progress_and_in_the_report(live_server, live_db, context):
    base = live_server.url
    demo_user()
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    with page.expect_response(lambda r: "/api/v1/progress/weekly?weeks=12" in r.url) as answer:
        page.goto(f"{base}/progress")
    weeks = answer.value.json()["weeks"]
    assert any(w["function"]["stairs"] is not None for w in weeks)
    page.locator("#function-table tbody tr").first.wait_for(state="attached")
    assert function_cells(page, "function-table") == expected_function(weeks)
    page.locator("#function-chart canvas").wait_for()
    legend = page.locator("#function-chart .u-legend").text_content()
    # a key only for the questions answered in these weeks: none without its line
    questions = {"stairs": "On stairs", "sitting": "After sitting", "squatting": "Squatting",
                 "walking": "Walking"}  # fmt: skip
    answered = {k for w in weeks for k, v in w["function"].items() if v is not None}
    assert answered and answered != set(questions)  # the demo answers some, not all
    for key, words in questions.items():
        assert (words in legend) == (key in answered), (key, legend)

    with page.expect_response(lambda r: "/api/v1/report?weeks=12" in r.url) as answer:
        page.goto(f"{base}/report")
    report = answer.value.json()
    page.locator("#r-function tbody tr").first.wait_for()
    assert function_cells(page, "r-function") == expected_function(report["progress"]["weeks"])
    page.locator("#r-function-chart canvas").wait_for()


NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.django_db(transaction=True)
def test_a_share_link_is_copied_or_shared_and_never_widens_the_page(live_server, live_db, chromium):
    base = live_server.url
    demo_user()
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    # a browser with the Web Share API (headless Chromium on Linux has none): what it was given
    context.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    page.goto(f"{base}/report")
    page.get_by_role("button", name="Create a share link").click()
    link = page.locator("#share-link a")
    url = link.get_attribute("href")
    assert "/report/shared#" in url and len(url) > 60
    assert page.evaluate(NO_SIDEWAYS)  # the long link wraps
    box = link.bounding_box()
    assert box["x"] + box["width"] <= 360
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("status").filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url
    page.get_by_role("button", name="Share", exact=True).click()
    assert page.evaluate("window.__shared.url") == url

    plain = chromium.new_context(viewport={"width": 360, "height": 740})  # no Web Share API
    other = plain.new_page()
    sign_in(other, base, "demo@example.com")
    other.goto(f"{base}/report")
    other.get_by_role("button", name="Create a share link").click()
    other.get_by_role("button", name="Copy link").wait_for()
    assert (
        other.evaluate("'share' in navigator")
        or not other.get_by_role("button", name="Share", exact=True).is_visible()
    )
    context.close()
    plain.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.django_db(transaction=True)
def test_the_printed_report_has_a_name_both_charts_and_fits_a4_and_letter(
    live_server, live_db, context
):
    base = live_server.url
    demo_user()
    page = context.new_page()
    sent = []
    page.on("request", lambda r: sent.append(r.post_data or ""))
    sign_in(page, base, "demo@example.com")
    page.goto(f"{base}/report")
    page.locator("#r-loads tbody tr").first.wait_for()
    page.locator("#r-pain-chart canvas").wait_for()
    page.get_by_label("Name on the report").fill("Maya Patel")
    summary = page.locator("#r-summary").text_content()
    assert "Mean NRS" in summary and "baseline" in summary and "threshold" in summary
    assert "Glute bridge" in page.locator("#r-routine").text_content()

    page.emulate_media(media="print")
    assert page.locator("#print-name").is_visible()
    assert page.locator("#print-name").text_content() == "Maya Patel"
    assert not page.get_by_label("Name on the report").is_visible()
    for chart in ("r-sessions-chart", "r-pain-chart", "r-function-chart"):
        assert page.locator(f"#{chart} canvas").is_visible(), chart
    assert page.locator("#r-function tbody tr").count() > 0
    assert not page.get_by_role("navigation", name="Main").is_visible()
    # headings stay with what follows them; blocks and rows are not split across pages
    styles = page.evaluate("""() => ({
      headings: [...document.querySelectorAll('main h1, main h2')].filter(e => e.offsetParent)
        .map(e => getComputedStyle(e).breakAfter),
      blocks: [...document.querySelectorAll('.print-block, tr')].map(e => getComputedStyle(e).breakInside),
    })""")
    assert set(styles["headings"]) == {"avoid"}, styles
    assert set(styles["blocks"]) == {"avoid"}, styles

    for paper, width_mm in (("A4", 210), ("Letter", 215.9)):
        # the page's content box (the print CSS's margins are 14 mm a side), in CSS pixels
        page.set_viewport_size({"width": int((width_mm - 28) / 25.4 * 96), "height": 1000})
        page.wait_for_timeout(200)  # the charts follow the width (a ResizeObserver)
        assert page.evaluate(NO_SIDEWAYS), paper
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
          .filter(e => e.offsetParent && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map(e => e.tagName + '#' + e.id)""")
        assert wide == [], (paper, wide)
        pdf = page.pdf(format=paper, print_background=False)
        assert pdf.startswith(b"%PDF") and 2 <= pdf_pages(pdf) <= 8, (paper, pdf_pages(pdf))
    assert not [body for body in sent if "Maya" in body]  # the name never left the page

    page.emulate_media(media="screen")
    page.reload()
    page.locator("#r-loads tbody tr").first.wait_for()
    assert page.get_by_label("Name on the report").input_value() == ""  # not kept unasked
    page.get_by_label("Name on the report").fill("Maya Patel")
    page.get_by_label("Remember the name on this phone").check()
    page.reload()
    page.locator("#r-loads tbody tr").first.wait_for()
    assert page.get_by_label("Name on the report").input_value() == "Maya Patel"
    page.get_by_label("Remember the name on this phone").uncheck()
    page.reload()
    page.locator("#r-loads tbody tr").first.wait_for()
    assert page.get_by_label("Name on the report").input_value() == ""


# each legend marker as drawn: its box, its borders and its fill, and whether the pointer
# treats its entry as something to tap
MARKERS = """(id) => [...document.querySelectorAll(`#${id} .u-legend .u-series`)].map((row) => {
  const marker = row.querySelector('.u-marker');
  const s = getComputedStyle(marker);
  const r = marker.getBoundingClientRect();
  return {label: row.textContent.trim(), width: r.width, height: r.height,
    top: s.borderTopWidth, sides: [s.borderLeftWidth, s.borderRightWidth, s.borderBottomWidth],
    fill: s.backgroundColor, cursor: getComputedStyle(row.querySelector('th')).cursor,
    off: row.classList.contains('u-off')};
})"""


@pytest.mark.django_db(transaction=True)
def test_chart_legends_read_as_a_key_of_lines_and_bars_not_boxes_to_tick(
    live_server, live_db, phone
):
    """A line is keyed by a short line in its own colour and dash, the sessions by a bar and
    the meaningful-change band by a shaded patch: none is an empty square, none takes a tap
    (a tap does not hide a line), and axe finds nothing serious."""
    base = live_server.url
    demo_user()
    page = phone.new_page()
    sign_in(page, base, "demo@example.com")
    page.goto(f"{base}/progress")
    settled(page)
    page.locator("#pain-chart .u-legend").wait_for()
    seen = {}
    for chart in ("sessions-chart", "pain-chart"):
        for m in page.evaluate(MARKERS, chart):
            seen[m["label"]] = m
            assert m["cursor"] != "pointer" and not m["off"], m
    for line in ("Target", "Mean pain", "Week 1"):
        m = seen[line]
        assert m["width"] >= 2 * m["height"] and m["height"] <= 4, m  # a short line, no box
        assert m["sides"] == ["0px", "0px", "0px"] and m["fill"] == "rgba(0, 0, 0, 0)", m
    bar, band = seen["Sessions"], seen["Meaningful improvement (shaded band)"]
    assert bar["fill"] != "rgba(0, 0, 0, 0)" and bar["height"] > bar["width"], bar  # a bar
    assert band["fill"] != "rgba(0, 0, 0, 0)" and band["width"] > band["height"], band  # a patch
    page.locator("#pain-chart .u-legend .u-series", has_text="Mean pain").click()
    assert "u-off" not in page.locator("#pain-chart .u-legend .u-series").nth(1).get_attribute(
        "class"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for chart in ("sessions-chart", "pain-chart", "function-chart"):
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"progress-legend-{chart}.png"))
    assert axe_violations(page) == []
