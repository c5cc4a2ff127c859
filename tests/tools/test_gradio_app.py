"""The Gradio page in a real headless Chromium: FOOTBALL.mp4 uploaded, the
top-5 glosses shown; the screenshot is kept as a test artefact."""
import os
import shutil
import socket

import numpy as np
import pytest
from PIL import Image

from mmaction_masa.apis import (build_test_pipeline, load_clips,
                                load_recognizer, predict_scores)

gr = pytest.importorskip(
    'gradio',
    reason='gradio is not installed '
    '(tools/setup_env.sh installs it)')
from mmaction_masa.apis.webapp import SignRecognizerApp, build_app  # noqa

CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
#: Where the screenshot is kept (ignored by git).
ARTEFACT_DIR = 'work_dirs/test_artifacts'
#: Chromium flags for this closed network (see the machine notes).
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync'
]


@pytest.fixture(scope='module')
def app(trained_recognizer, tmp_path_factory):
    return SignRecognizerApp(
        trained_recognizer.config,
        trained_recognizer.checkpoint,
        out_dir=tmp_path_factory.mktemp('app'),
        min_score=0.0)


@pytest.fixture(scope='module')
def expected(trained_recognizer, shared_data):
    """Top-5 (name, score) of FOOTBALL.mp4 through infer's path."""
    model, cfg, meta = load_recognizer(trained_recognizer.config,
                                       trained_recognizer.checkpoint)
    row, = predict_scores(model, build_test_pipeline(cfg),
                          load_clips([shared_data / 'real' / 'FOOTBALL.mp4']))
    best = np.argsort(-row, kind='stable')[:5]
    return [(meta['dataset_meta']['classes'][i], float(row[i])) for i in best]


def test_app_recognises_a_video(app, expected, shared_data):
    glosses, animation, strip, summary = app(shared_data / 'real' /
                                             'FOOTBALL.mp4')
    assert list(glosses) == [name for name, _ in expected]
    np.testing.assert_allclose(
        list(glosses.values()), [s for _, s in expected], rtol=1e-5)
    assert summary == (f'FOOTBALL: 62 frames, best gloss {expected[0][0]} '
                       f'({expected[0][1]:.3f})')
    with Image.open(animation) as gif:
        assert gif.n_frames == 62
    assert Image.open(strip).size[0] > 0


def test_app_unsure_below_min_score(app, expected, shared_data):
    glosses, _, _, summary = app(shared_data / 'real' / 'FOOTBALL.mp4', 1.0)
    assert list(glosses) == [name for name, _ in expected]
    assert summary.endswith('; unsure: top score below 1')


def test_app_no_signing_and_broken_video(app, recorded_videos):
    black = recorded_videos['black']
    assert app(black) == ({}, None, None, (
        f'black: no signing detected in {black} (body in 0/60 frames, a '
        'hand in 0/60 frames; needs a body and a hand in >= 8 frames)'))
    with pytest.raises(ValueError, match='broken.mp4: cannot read the video'):
        app(recorded_videos['broken'])


def test_app_rejects_bad_input(app, tmp_path):
    with pytest.raises(ValueError, match='upload a video or a pose file'):
        app(None)
    bad = tmp_path / 'notes.txt'
    bad.write_text('x')
    with pytest.raises(ValueError, match='notes.txt: unknown input type'):
        app(bad)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_page_in_headless_chromium(app, expected, shared_data, repo_root):
    sync_api = pytest.importorskip(
        'playwright.sync_api', reason='playwright is not installed')
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f'no Chromium at {CHROMIUM}: install Debian\'s chromium '
                    '(bash tools/install_browser.sh)')
    page_app = build_app(app)
    _, url, _ = page_app.launch(
        server_name='127.0.0.1',
        server_port=_free_port(),
        prevent_thread_lock=True,
        quiet=True)
    artefact = repo_root / ARTEFACT_DIR / 'gradio_football.png'
    artefact.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_api.sync_playwright() as play:
            browser = play.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=dict(width=1280, height=1000))
            page.goto(url)
            page.wait_for_selector('#run', timeout=60_000)
            page.set_input_files('#upload input[type=file]',
                                 str(shared_data / 'real' / 'FOOTBALL.mp4'))
            page.wait_for_function(  # the upload is done: its name shows
                "() => document.querySelector('#upload').innerText"
                ".includes('FOOTBALL')",
                timeout=60_000)
            page.click('#run')
            summary = page.locator('#summary textarea')
            page.wait_for_function(
                'el => el.value.startsWith("FOOTBALL: 62 frames")',
                arg=summary.element_handle(),
                timeout=180_000)
            page.locator('#animation img').wait_for(timeout=60_000)
            shown = page.locator('#glosses').inner_text()
            summary_text = summary.input_value()
            page.screenshot(path=str(artefact), full_page=True)
            browser.close()
    finally:
        page_app.close()
    for name, _ in expected:
        assert name in shown
    name, score = expected[0]
    assert summary_text == (f'FOOTBALL: 62 frames, best gloss {name} '
                            f'({score:.3f})')
    assert artefact.stat().st_size > 10_000


def test_page_refuses_a_broken_file_and_an_empty_video(app, recorded_videos):
    """In the browser: a .mp4 that is not a video shows the error on the
    page; a video with nobody in it shows "no signing detected" and no
    gloss."""
    sync_api = pytest.importorskip(
        'playwright.sync_api', reason='playwright is not installed')
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f'no Chromium at {CHROMIUM}: install Debian\'s chromium '
                    '(bash tools/install_browser.sh)')
    messages = dict(
        broken='cannot read the video', black='no signing detected')
    page_app = build_app(app)
    _, url, _ = page_app.launch(
        server_name='127.0.0.1',
        server_port=_free_port(),
        prevent_thread_lock=True,
        quiet=True)
    try:
        with sync_api.sync_playwright() as play:
            browser = play.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=dict(width=1280, height=1000))
            shown = {}
            for name, where in (('broken', 'document.body.innerText'),
                                ('black', "document.querySelector("
                                 "'#summary textarea').value")):
                page.goto(url)  # a fresh page: an empty upload box
                page.wait_for_selector('#run', timeout=60_000)
                page.set_input_files('#upload input[type=file]',
                                     str(recorded_videos[name]))
                page.wait_for_function(  # the upload shows the file's stem
                    f"() => document.querySelector('#upload').innerText"
                    f".includes('{name}')",
                    timeout=60_000)
                page.click('#run')
                page.wait_for_function(
                    f'() => {where}.includes("{messages[name]}")',
                    timeout=120_000)
                shown[name] = page.locator('body').inner_text()
            summary = page.locator('#summary textarea').input_value()
            glosses = page.locator('#glosses').inner_text()
            browser.close()
    finally:
        page_app.close()
    assert 'broken.mp4: cannot read the video' in shown['broken']
    # (the page names the copy of the upload that Gradio keeps)
    assert summary.startswith('black: no signing detected in ')
    assert summary.endswith('black.mov (body in 0/60 frames, a hand in 0/60 '
                            'frames; needs a body and a hand in >= 8 frames)')
    assert not any(name in glosses
                   for name in app.meta['dataset_meta']['classes'][:5])
