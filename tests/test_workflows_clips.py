"""Highlight clips found in hand-made curves: one audience spike, one order burst, nothing in the noise."""
from datetime import date

import pandas as pd
from test_workflows_payroll import studio

import contract
from workflows.clips import ClipSettings, audience_spikes, clip_list, highlight_clips, order_bursts


def viewers(session: str = "X1", minutes: int = 60) -> pd.DataFrame:
    """1,000 viewers give or take 10, then 1,500 / 2,500 / 3,410 at minutes 45-47 and 3,400 up to 59."""
    curve = [1000 + (10 if m % 2 else -10) for m in range(60)]
    curve[45:] = [1500, 2500, 3410] + [3400] * 12
    return pd.DataFrame({"session_id": session, "minute": range(60), "concurrent_viewers": curve}).head(minutes)


def orders(session: str = "X1", minutes: int = 60) -> pd.DataFrame:
    """2 orders a minute, 15 and 12 at minutes 30 and 31."""
    per_minute = [2] * minutes
    per_minute[30:32] = [15, 12]
    return pd.DataFrame({"session_id": session, "minute": range(minutes), "orders": per_minute})


def test_a_spike_is_found_at_the_right_minute():
    (spike,) = audience_spikes(viewers()).itertuples()
    assert (spike.first, spike.peak_minute, spike.peak) == (45, 47, 3410)
    assert spike.why == "viewers +244 % in 3 min to 3,410 at minute 47"  # baseline 990: median of minutes 40-44


def test_noise_and_the_opening_ramp_are_not_moments():
    quiet = viewers()
    quiet.loc[45:, "concurrent_viewers"] = 1000
    quiet.loc[:2, "concurrent_viewers"] = [0, 200, 600]  # ramp-up at the start of every stream
    assert audience_spikes(quiet).empty
    assert order_bursts(orders().assign(orders=2)).empty


def test_an_order_burst_is_found():
    (burst,) = order_bursts(orders()).itertuples()
    assert (burst.first, burst.last, burst.peak_minute) == (30, 31, 30)
    assert burst.why == "orders 15/min at minute 30, 7.5× the usual 2/min"


def test_clips_are_padded_ranked_and_clamped_to_the_session():
    clips = highlight_clips(viewers(), orders())
    assert clips[["start_min", "end_min"]].values.tolist() == [[43, 53], [28, 35]]
    assert clips["score"].is_monotonic_decreasing
    short = highlight_clips(viewers(minutes=50), settings=ClipSettings(pad_after=10))
    assert short[["start_min", "end_min"]].values.tolist() == [[43, 50]]


def test_overlapping_windows_merge_and_keep_both_reasons():
    burst = orders()
    burst["orders"] = 2
    burst.loc[46, "orders"] = 20
    (clip,) = highlight_clips(viewers(), burst).itertuples()
    assert (clip.start_min, clip.end_min) == (43, 53)
    assert clip.why == ("viewers +244 % in 3 min to 3,410 at minute 47; "
                        "orders 20/min at minute 46, 10.0× the usual 2/min")


def test_clip_list_gives_wall_clock_times_channel_and_host():
    s = studio()  # X1 is Ana's 19:00-21:00 stream on shopA, X2 Bo's on shopB, both 2026-11-30
    minutes = pd.concat([viewers("X1"), viewers("X2", 30).assign(concurrent_viewers=500)], ignore_index=True)
    minutes = contract.parse_table(minutes.astype(str), contract.VIEWER_MINUTES)
    clips = clip_list(s["sessions"], minutes, date(2026, 11, 30), orders("X1"), s["hosts"])
    assert clips[["rank", "session_id", "channel", "host"]].values.tolist() == [[1, "X1", "shopA", "Ana"],
                                                                                [2, "X1", "shopA", "Ana"]]
    assert clips.loc[0, "clip_start"] == pd.Timestamp("2026-11-30T19:43:00")
    assert clips.loc[0, "clip_end"] == pd.Timestamp("2026-11-30T19:53:00")
    assert clip_list(s["sessions"], minutes, date(2026, 12, 1)).empty
