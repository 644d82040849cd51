// <cnn-train>'s comparison charts: every run's curves overlaid on one loss chart and one
// accuracy chart (uPlot), in the run's colour; a legend whose buttons show or hide a run on
// every chart; and the speed-against-accuracy scatter of the finished runs, the closing
// exercise's answer in one picture. The series and the geometry come from cnn-train-model.js.
import { h } from './controls.js';
import { SIZES } from './palette.js';
import { accuracyChartData, accuracyRange, lossChartData, RunCurves, scatterGeometry } from './cnn-train-model.js';
import { runLegend, scatterPlot } from './cnn-train-views.js';
import { runConfig } from '../train/runs.js';

const SCATTER = { width: 360, height: 220 };
const CHART_MIN_WIDTH_PX = 200;

export class RunCharts {
  constructor() {
    this.curves = [];  // RunCurves of every started run
    this.records = []; // the finished runs (runs.js records)
    this.width = null;
    this.uPlot = null;  // the chart library's constructor, set by the lab when it loads it (on Start)
    this.legend = h('div', 'run-legend');
    this.legend.setAttribute('role', 'group');
    this.legend.setAttribute('aria-label', 'Runs shown on the charts');
    this.lossBox = h('div', '');
    this.accuracyBox = h('div', '');
    this.scatterBox = h('figure', '');
    this.element = h('div', '', this.legend, h('div', 'lab-row', this.lossBox, this.accuracyBox, this.scatterBox));
  }

  /** A run starts ('started' message): its curves join the charts, which are built again with one more pair of series. */
  start({ run, knobs, stepsPerEpoch }) {
    this.current = new RunCurves(run, runConfig(knobs), stepsPerEpoch);
    this.curves.push(this.current);
    this.build(Math.max(knobs.epochs, ...this.curves.map((curves) => curves.testAccuracy[0].at(-1))));
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
    return { width: Math.min(SIZES.plotWidthPx, Math.max(CHART_MIN_WIDTH_PX, (this.width ?? SIZES.plotWidthPx) - 8)), height: SIZES.plotHeightPx };
  }

  /** Both charts with one pair of series per run: batch and (dashed) test loss; test and (dashed) training accuracy. */
  build(epochs) {
    this.lossChart?.destroy();
    this.accuracyChart?.destroy();
    const x = { time: false, range: [0, Math.max(epochs, 1)] };
    const epochsX = { time: false, range: [0.8, Math.max(epochs, 1) + 0.2] }; // accuracy is measured at the end of each epoch
    const epochAxis = { label: 'epoch', values: (_, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? tick : '')) };
    const pairs = (first, second, format) => this.curves.flatMap((curves) => [first, second].map((style) => ({
      label: `run ${curves.run} ${style.label}`, stroke: curves.color, width: style.width, dash: style.dash, spanGaps: true, show: curves.shown,
      points: { show: style.points, size: 6 }, value: (_, v) => (v == null ? '–' : format(v)),
    })));
    this.lossChart = new this.uPlot({ ...this.size(), title: 'Loss: training per batch, test per epoch (dashed)', legend: { show: false },
      scales: { x }, axes: [epochAxis, { label: 'cross entropy' }],
      series: [{ label: 'epoch' }, ...pairs({ label: 'training loss', width: 1, points: false }, { label: 'test loss', width: 2, dash: [6, 4], points: true },
        (v) => v.toFixed(4))] },
    lossChartData(this.curves), this.lossBox);
    this.accuracyChart = new this.uPlot({ ...this.size(), title: 'Accuracy per epoch: test, training (dashed)', legend: { show: false },
      scales: { x: epochsX, y: { range: () => accuracyRange(this.curves) } }, axes: [epochAxis, { label: '%' }],
      series: [{ label: 'epoch' }, ...pairs({ label: 'test accuracy', width: 2, points: true }, { label: 'training accuracy', width: 1.5, dash: [6, 4], points: true },
        (v) => `${v.toFixed(2)}%`)] },
    accuracyChartData(this.curves), this.accuracyBox);
    this.showLegend();
  }

  /** One toggle per run: hides or shows its curves on both charts and its point on the scatter. */
  showLegend() {
    this.legend.replaceChildren(...runLegend(this.curves, (curves) => {
      curves.shown = !curves.shown;
      const index = this.curves.indexOf(curves);
      for (const chart of [this.lossChart, this.accuracyChart]) {
        for (const offset of [1, 2]) chart.setSeries(2 * index + offset, { show: curves.shown });
      }
      this.accuracyChart.setScale('y', { min: 0, max: 100 }); // the range function zooms to what is shown
      this.showLegend();
      this.showScatter();
    }));
  }

  showScatter() {
    const shown = this.records.filter((record) => this.curves.find((curves) => curves.run === record.run)?.shown ?? true);
    const colors = new Map(this.curves.map((curves) => [curves.run, curves.color]));
    const labels = new Map(this.records.map((record) => [record.run, runConfig(record.knobs)]));
    this.scatterBox.replaceChildren(h('figcaption', 'caption', 'Speed against accuracy, one point per finished run'),
      scatterPlot(scatterGeometry(shown, SCATTER.width, SCATTER.height), { ...SCATTER, colors, labels }));
  }
}
