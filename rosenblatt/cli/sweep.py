"""``rosenblatt sweep``: a grid of training runs x data sets x seeds, on Dask or in-process.

    rosenblatt sweep sweep.toml
    rosenblatt sweep --grid 'layers=[],[4],[8,4]' --grid 'learning_rate=0.01,0.1,1' \\
        --dataset xor --dataset circle --seeds 5 --set epochs=200
    rosenblatt sweep sweep.toml --scheduler tcp://10.0.0.1:8786
    rosenblatt sweep --exercise playground --docs docs/sweep-exercise.md

Results stream to ``--results`` (JSON lines; re-running resumes); at the end a table of the
best configurations is printed and the figures are saved.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rosenblatt.cli._args import int_in


def add_parser(sub) -> None:
    p = sub.add_parser("sweep", help="run a grid of training runs (on Dask, or --serial)",
                       description="Run a grid of training configurations x data sets x seeds "
                                   "on a Dask cluster (a local one by default) or in-process.")
    p.add_argument("spec", nargs="?", metavar="SWEEP.toml", help="a TOML sweep file")
    p.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                   help="a setting and its values, e.g. 'layers=[],[4],[8,4]' (repeatable)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a setting every run shares, e.g. epochs=200 (repeatable)")
    p.add_argument("--dataset", action="append", metavar="NAME",
                   help="circle, xor, gauss or spiral (repeatable; default circle)")
    p.add_argument("--seeds", type=int_in(1, 10_000), metavar="N", help="seeds 0..N-1")
    p.add_argument("--sample", type=int_in(1, 1_000_000), metavar="K",
                   help="run K configurations drawn at random from the grid")
    p.add_argument("--exercise", choices=["playground"],
                   help="lecture 002's playground exercise, for every data set")
    p.add_argument("--results", default="sweep-results.jsonl", metavar="FILE",
                   help="JSON-lines results file, resumed if it exists")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="run in this process")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="an existing Dask scheduler, e.g. tcp://10.0.0.1:8786")
    p.add_argument("--workers", type=int_in(1, 1024), metavar="N",
                   help="LocalCluster worker processes (default: one per CPU)")
    p.add_argument("--top", type=int_in(1, 1000), default=5, help="table rows per data set")
    p.add_argument("--figures", metavar="PREFIX",
                   help="save PREFIX-params.png and PREFIX-heatmap.png (needs matplotlib)")
    p.add_argument("--heatmap", nargs=2, metavar=("X", "Y"),
                   help="the two settings of the heat map (default: the first two of the grid)")
    p.add_argument("--docs", metavar="PAGE.md",
                   help="with --exercise: write the answer key page (figure in images/ next "
                        "to it)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _spec(args):
    from rosenblatt.sweep import SweepSpec, load_spec, parse_grid_flag
    from rosenblatt.sweep.exercise import exercise_spec

    if args.exercise:
        if args.spec or args.grid or args.set or args.dataset or args.sample:
            raise ValueError("--exercise: expected no other sweep description (SWEEP.toml, "
                             "--grid, --set, --dataset, --sample), got some")
        return exercise_spec(seeds=args.seeds or 5)
    if args.docs:
        raise ValueError(f"--docs: expected together with --exercise, got --docs {args.docs}")
    spec = load_spec(args.spec) if args.spec else SweepSpec()
    grid, fixed = dict(spec.grid), dict(spec.fixed)
    grid.update(parse_grid_flag(text) for text in args.grid)
    for text in args.set:
        name, values = parse_grid_flag(text, "--set")
        fixed[name] = values[0] if len(values) == 1 else values
    return SweepSpec(grid=grid, fixed=fixed, datasets=args.dataset or spec.datasets,
                     seeds=args.seeds or spec.seeds, sample=args.sample or spec.sample,
                     sample_seed=spec.sample_seed)


def run(args) -> int:
    from rosenblatt import sweep

    spec = _spec(args)
    runs = spec.runs()
    workers = ("this process" if args.serial else args.scheduler or
               f"{args.workers or sweep.machine_workers()} local Dask workers")
    print(f"{len(runs)} runs on {workers}; results in {args.results}", file=sys.stderr)
    started = time.perf_counter()
    records = sweep.run_sweep(runs, args.results, serial=args.serial, scheduler=args.scheduler,
                              workers=args.workers, progress=not args.no_progress)
    seconds = time.perf_counter() - started
    failed = sum(r.get("error") is not None for r in records)
    if args.exercise:
        return _exercise_report(args, records, seconds, workers)
    print(sweep.best_table(records, top=args.top))
    if failed:
        print(f"{failed} of {len(records)} runs raised an error (recorded in {args.results})")
    if args.figures:
        print(sweep.params_figure(records, f"{args.figures}-params.png"))
        axes = args.heatmap or list(spec.grid)[:2]
        if len(axes) == 2:
            print(sweep.heatmap_figure(records, f"{args.figures}-heatmap.png", *axes))
    return 0


def _exercise_report(args, records, seconds, workers) -> int:
    from rosenblatt.sweep import params_figure
    from rosenblatt.sweep.exercise import answer_table, docs_page

    table = answer_table(records)
    print(table)
    if args.docs:
        page = Path(args.docs)
        figure = page.parent / "images" / f"{page.stem}.png"
        figure.parent.mkdir(parents=True, exist_ok=True)
        params_figure(records, figure)
        page.write_text(docs_page(table, figure.name, len(records), seconds, workers),
                        encoding="utf-8")
        print(page)
    else:
        print(params_figure(records, f"{args.figures or 'sweep-exercise'}-params.png"))
    return 0
