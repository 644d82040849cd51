// <cnn-train>'s comparison charts: every run's curves overlaid on one loss chart and one
// accuracy chart (uPlot), in the run's colour; a legend whose buttons show or hide a run on
// every chart; and the speed-against-accuracy scatter of the finished runs, the closing
// exercise's answer in one picture. The series and the geometry come from cnn-train-model.js.
// The charts keep the runs' curves: relabel() draws them again in the lab's language and theme
// (axes, tick numbers and grid in the theme's ink and rule, the runs in the theme's run colours).
import { h } from './controls.js';
import { SIZES } from './palette.js';
import {
  accuracyChartData,
  accuracyRange,
  lossChartData,
  runColor,
  RunCurves,
  scatterGeometry,
  themeOfPaper,
} from './cnn-train-model.js';
import { runLegend, scatterPlot } from './cnn-train-views.js';
import { runConfig } from '../train/runs.js';

const SCATTER = { width: 360, height: 220 };
const CHART_MIN_WIDTH_PX = 200;

export class RunCharts {
  /** ui(): the lab's { t, colors, fixed } as they are now (cnn-train-views.js). */
  constructor(ui) {
    this.ui = ui;
    this.curves = []; // RunCurves of every started run
    this.records = []; // the finished runs (runs.js records)
    this.width = null;
    this.uPlot = null; // the chart library's constructor, set by the lab when it loads it (on Start)
    this.legend = h('div', 'run-legend');
    this.legend.setAttribute('role', 'group');
    this.legend.setAttribute('aria-label', ui().t('lab.charts.runs'));
    this.lossBox = h('div', '');
    this.accuracyBox = h('div', '');
    this.scatterBox = h('figure', '');
    this.element = h('div', '', this.legend, h('div', 'lab-row', this.lossBox, this.accuracyBox, this.scatterBox));
  }

  /** A run starts ('started' message): its curves join the charts, which are built again with one more pair of series. */
  start({ run, knobs, stepsPerEpoch }) {
    this.current = new RunCurves(run, runConfig(knobs), stepsPerEpoch);
    this.curves.push(this.current);
    this.epochs = Math.max(knobs.epochs, ...this.curves.map((curves) => curves.testAccuracy[0].at(-1)));
    this.build(this.epochs);
  }

  /** The lab's language or theme changed: the same curves, legend and scatter drawn again in it. */
  relabel() {
    this.legend.setAttribute('aria-label', this.ui().t('lab.charts.runs'));
    if (this.lossChart) this.build(this.epochs);
    if (this.records.length) this.showScatter();
  }

  progress(message) {
    this.current.addProgress(message);
    this.lossChart.setData(lossChartData(this.curves));
  }

  epoch(message) {
    this.current.addEpoch(message);
    this.lossChart.setData(lossChartData(this.curves));
    this.accuracyChart.setData(accuracyChartData(this.curves));
  }

  /** The finished runs, for the scatter. */
  finish(records) {
    this.records = records;
    this.showScatter();
  }

  colorOf(run) {
    return this.curves.find((curves) => curves.run === run)?.color ?? 'transparent';
  }

  resize(width) {
    this.width = width;
    for (const chart of [this.lossChart, this.accuracyChart]) chart?.setSize(this.size());
  }

  /** The palette's chart size, narrower when the lab is (a phone). */
  size() {
    return {
      width: Math.min(SIZES.plotWidthPx, Math.max(CHART_MIN_WIDTH_PX, (this.width ?? SIZES.plotWidthPx) - 8)),
      height: SIZES.plotHeightPx,
    };
  }

  /** Both charts with one pair of series per run: batch and (dashed) test loss; test and (dashed) training accuracy. */
  build(epochs) {
    this.lossChart?.destroy();
    this.accuracyChart?.destroy();
    const { t, colors, fixed } = this.ui();
    const theme = themeOfPaper(colors.paper);
    for (const curves of this.curves) curves.color = runColor(curves.run, theme);
    const [ink, rule] = [colors.ink, colors.rule].map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);
    const x = { time: false, range: [0, Math.max(epochs, 1)] };
    const epochsX = { time: false, range: [0.8, Math.max(epochs, 1) + 0.2] }; // accuracy is measured at the end of each epoch
    // Axis labels and tick numbers are drawn on the canvas: in the theme's ink (4.5:1 on paper), the grid in its rule.
    const axis = (label, values) => ({
      label,
      stroke: ink,
      grid: { stroke: rule, width: 1 },
      ticks: { stroke: rule, width: 1 },
      values,
    });
    const tickNumbers = (decimals) => (_, ticks) => ticks.map((tick) => fixed(tick, decimals(tick)));
    const decimalsOf = (tick) => Math.min(4, (String(tick).split('.')[1] ?? '').length);
    const epochAxis = axis(t('lab.charts.epoch'), (_, ticks) =>
      ticks.map((tick) => (Number.isInteger(tick) ? fixed(tick, 0) : '')),
    );
    const pairs = (first, second, format) =>
      this.curves.flatMap((curves) =>
        [first, second].map((style) => ({
          label: t('lab.charts.series', { run: curves.run, series: t(style.label) }),
          stroke: curves.color,
          width: style.width,
          dash: style.dash,
          spanGaps: true,
          show: curves.shown,
          points: { show: style.points, size: 6 },
          value: (_, v) => (v == null ? '–' : format(v)),
        })),
      );
    this.lossChart = new this.uPlot(
      {
        ...this.size(),
        title: t('lab.charts.loss'),
        legend: { show: false },
        scales: { x },
        axes: [epochAxis, axis(t('lab.charts.cross-entropy'), tickNumbers(decimalsOf))],
        series: [
          { label: t('lab.charts.epoch') },
          ...pairs(
            { label: 'lab.charts.training-loss', width: 1, points: false },
            { label: 'lab.charts.test-loss', width: 2, dash: [6, 4], points: true },
            (v) => fixed(v, 4),
          ),
        ],
      },
      lossChartData(this.curves),
      this.lossBox,
    );
    this.accuracyChart = new this.uPlot(
      {
        ...this.size(),
        title: t('lab.charts.accuracy'),
        legend: { show: false },
        scales: { x: epochsX, y: { range: () => accuracyRange(this.curves) } },
        axes: [epochAxis, axis(t('lab.charts.percent'), tickNumbers(decimalsOf))],
        series: [
          { label: t('lab.charts.epoch') },
          ...pairs(
            { label: 'lab.charts.test-accuracy', width: 2, points: true },
            { label: 'lab.charts.training-accuracy', width: 1.5, dash: [6, 4], points: true },
            (v) => `${fixed(v, 2)}%`,
          ),
        ],
      },
      accuracyChartData(this.curves),
      this.accuracyBox,
    );
    this.showLegend();
  }

  /** One toggle per run: hides or shows its curves on both charts and its point on the scatter. */
  showLegend() {
    this.legend.replaceChildren(
      ...runLegend(this.ui(), this.curves, (curves) => {
        curves.shown = !curves.shown;
        const index = this.curves.indexOf(curves);
        for (const chart of [this.lossChart, this.accuracyChart]) {
          for (const offset of [1, 2]) chart.setSeries(2 * index + offset, { show: curves.shown });
        }
        this.accuracyChart.setScale('y', { min: 0, max: 100 }); // the range function zooms to what is shown
        this.showLegend();
        this.showScatter();
      }),
    );
  }

  showScatter() {
    const shown = this.records.filter(
      (record) => this.curves.find((curves) => curves.run === record.run)?.shown ?? true,
    );
    const colors = new Map(this.curves.map((curves) => [curves.run, curves.color]));
    const labels = new Map(this.records.map((record) => [record.run, runConfig(record.knobs)]));
    const ui = this.ui();
    const tick = (value) => ui.fixed(value, Math.min(3, (String(value).split('.')[1] ?? '').length));
    this.scatterBox.replaceChildren(
      h('figcaption', 'caption', ui.t('lab.scatter.caption')),
      scatterPlot(ui, scatterGeometry(shown, SCATTER.width, SCATTER.height, undefined, tick), {
        ...SCATTER,
        colors,
        labels,
      }),
    );
  }
}
