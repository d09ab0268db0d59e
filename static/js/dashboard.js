/* The dashboard's charts. Every number comes from the JSON the page embeds (the same selectors as the
   tables and exports); the map's GeoJSON and ECharts itself are the project's static files. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var charts = (window.dashboardCharts = {});
  if (!window.echarts) {
    document.querySelectorAll(".chart").forEach(function (el) {
      el.innerHTML = '<p class="muted">图表库未安装（运行 python3 dev.py serve 会安装），请查看下方表格。</p>';
      el.style.height = "auto";
    });
    return;
  }

  var COLORS = ["#dbe8f8", "#a9c8ee", "#6fa3dd", "#3a78c2", "#1f4f8f"];
  var ZERO = "#f2f4f7";
  var urls = data("dashboard-urls");

  function go(params) {
    var search = new URLSearchParams(window.location.search);
    Object.keys(params).forEach(function (k) { search.set(k, params[k]); });
    window.location.search = search.toString();
  }

  function niceStep(max, parts) {
    var raw = max / parts;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= raw) return steps[i] * power;
    }
    return 10 * power;
  }

  // Piecewise colour scale: 0 apart, then up to five equal, rounded bands up to the largest value.
  function pieces(max, unit) {
    var result = [{ value: 0, label: "0", color: ZERO }];
    if (!(max > 0)) return result;
    var step = max <= 5 ? 1 : niceStep(max, 5);
    var bands = Math.min(5, Math.ceil(max / step));
    for (var i = 0; i < bands; i++) {
      var lo = i * step, hi = (i + 1) * step;
      var piece = { gt: lo, lte: hi, color: COLORS[Math.round(i * (COLORS.length - 1) / Math.max(1, bands - 1))] };
      piece.label = (step === 1 && unit === "条") ? hi + " " + unit : lo + "–" + hi + " " + unit;
      if (i === bands - 1) { delete piece.lte; piece.label = "> " + lo + " " + unit; }
      result.push(piece);
    }
    return result;
  }

  function init(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  // ------------------------------------------------------------------------------------------- map
  function tooltip(p) {
    if (!p.data) return "暂无数据";
    return p.data.label + "<br>需求数：" + p.data.count + " 条<br>预算合计：" + p.data.budget + " 万元";
  }

  // Provinces or a province's cities: the regions themselves are coloured.
  function regionOption(info, rows, budget, scale) {
    return {
      tooltip: { trigger: "item", formatter: tooltip },
      visualMap: scale,
      series: [{
        type: "map", map: info.map_key, nameProperty: "code", roam: true, selectedMode: false,
        itemStyle: { areaColor: "#ffffff", borderColor: "#98a2b3" },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#fde68a" } },
        data: rows.map(function (r) {
          return { name: r.code, value: budget ? r.budget : r.count, label: r.name, count: r.count, budget: r.budget };
        })
      }]
    };
  }

  // A city's counties: there are no county boundaries, so each county is a point at its seat on the
  // city's outline, coloured by the same scale and sized by its share of the largest value.
  function countyOption(info, rows, budget, scale) {
    var placed = rows.filter(function (r) { return r.seat; });
    var max = Math.max.apply(null, placed.map(function (r) { return budget ? r.budget : r.count; }).concat([0]));
    return {
      tooltip: { trigger: "item", formatter: tooltip },
      visualMap: Object.assign({ dimension: 2, seriesIndex: 0 }, scale),
      geo: {
        map: info.map_key, roam: true, silent: true,
        itemStyle: { areaColor: "#f8fafc", borderColor: "#98a2b3" }
      },
      series: [{
        type: "scatter", coordinateSystem: "geo",
        symbolSize: function (value) { return max > 0 && value[2] > 0 ? 9 + 19 * Math.sqrt(value[2] / max) : 7; },
        itemStyle: { borderColor: "#475467", borderWidth: 0.5 },
        label: { show: true, position: "right", formatter: function (p) { return p.data.label; }, fontSize: 11, color: "#344054" },
        labelLayout: { hideOverlap: true },
        emphasis: { scale: 1.2, label: { show: true } },
        data: placed.map(function (r) {
          var value = budget ? r.budget : r.count;
          return { name: r.code, value: [r.seat[0], r.seat[1], value], label: r.name, count: r.count, budget: r.budget };
        })
      }]
    };
  }

  function drawMap() {
    var info = data("map-info"), regions = data("regions-data");
    var chart = init("map-chart");
    if (!chart || !info) return;
    chart.showLoading({ text: "地图加载中…" });
    fetch(info.geo_url).then(function (r) { return r.json(); }).then(function (geo) {
      if (info.outline) {
        // the city's (or municipality's) own outline, out of its province's file; a province's directly
        // administered counties (4290) have none of their own: they sit on the whole province
        var own = geo.features.filter(function (f) { return f.properties && f.properties.code === info.outline; });
        if (own.length) geo = { type: "FeatureCollection", features: own };
      }
      echarts.registerMap(info.map_key, geo);
      chart.hideLoading();
      function option(metric) {
        var budget = metric === "budget";
        var values = regions.rows.map(function (r) { return budget ? r.budget : r.count; });
        var scale = {
          type: "piecewise", pieces: pieces(Math.max.apply(null, values.concat([0])), budget ? "万元" : "条"),
          left: 10, bottom: 10, textStyle: { fontSize: 12 }
        };
        return (info.outline ? countyOption : regionOption)(info, regions.rows, budget, scale);
      }
      chart.setOption(option(info.metric), true);
      chart.on("click", function (p) {
        // China → a province → a city: only into regions the viewer may see; a county narrows the page
        if (!p.data) return;
        if (!info.outline && info.drillable.indexOf(p.data.name) >= 0) go({ parent: p.data.name });
        if (info.outline && info.filterable.indexOf(p.data.name) >= 0) go({ region: p.data.name });
      });
      document.querySelectorAll("input[name=metric-toggle]").forEach(function (input) {
        input.addEventListener("change", function () { chart.setOption(option(input.value), true); });
      });
      chart.__dashboardReady = true;
    }).catch(function () {
      chart.hideLoading();
      document.getElementById("map-chart").innerHTML = '<p class="muted">地图数据加载失败，请查看下方表格。</p>';
    });
    charts.map = chart;
  }

  // ------------------------------------------------------------------------------------------- gap
  function drawGap() {
    var rows = (data("unanswered-data") || []).slice(0, 10);
    var chart = init("gap-chart");
    if (!chart) return;
    if (!rows.length) { chart.dispose(); document.getElementById("gap-chart").style.display = "none"; return; }
    var names = rows.map(function (r) { return (r.industry + " " + r.industry_name).trim(); });
    function series(key, name, color) {
      return { type: "bar", name: name, data: rows.map(function (r) { return r[key]; }), itemStyle: { color: color } };
    }
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: {},
      grid: { left: 10, right: 20, containLabel: true },
      xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: names, inverse: true },
      series: [series("posted", "发布需求", "#98a2b3"), series("strong", "强匹配", "#6fa3dd"),
               series("engaged", "已对接", "#067647"), series("unanswered", "未响应", "#b42318")]
    });
    charts.gap = chart;
  }

  // ---------------------------------------------------------------------------------------- matrix
  function loadCell(region, industry) {
    var box = document.getElementById("cell-needs");
    var query = urls.query ? urls.query + "&" : "";
    box.innerHTML = '<p class="muted">加载中…</p>';
    fetch(urls.cell + "?" + query + "fragment=1&cell_region=" + encodeURIComponent(region) +
          "&cell_industry=" + encodeURIComponent(industry), { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { box.innerHTML = html; box.scrollIntoView({ behavior: "smooth", block: "nearest" }); });
  }

  function drawMatrix() {
    var m = data("matrix-data");
    var el = document.getElementById("matrix-chart");
    if (!m || !el) return;
    el.style.height = Math.max(260, m.rows.length * 30 + 150) + "px";
    var chart = init("matrix-chart");
    var cells = [], max = 0;
    m.cells.forEach(function (row, y) {
      row.forEach(function (v, x) { if (v) { cells.push([x, y, v]); max = Math.max(max, v); } });
    });
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          var c = m.columns[p.value[0]], r = m.rows[p.value[1]];
          return r.name + " · " + (c.code + " " + c.name).trim() + "<br>" + p.value[2] + " 条需求（点击查看）";
        }
      },
      grid: { left: 10, right: 20, top: 10, bottom: 90, containLabel: true },
      // Industries by name, not by code (A…T, 01…90 tell a reader nothing); long names are cut on the
      // axis and given whole in the tooltip.
      xAxis: { type: "category", data: m.columns.map(function (c) { return c.name || c.code || "未细分"; }),
               splitArea: { show: true },
               axisLabel: { interval: 0, rotate: 35, formatter: function (v) { return v.length > 8 ? v.slice(0, 8) + "…" : v; } } },
      yAxis: { type: "category", data: m.rows.map(function (r) { return r.name; }), inverse: true, splitArea: { show: true } },
      visualMap: { type: "piecewise", pieces: pieces(max, "条").slice(1), orient: "horizontal", left: "center", bottom: 5 },
      series: [{ type: "heatmap", data: cells, label: { show: true } }]
    });
    chart.on("click", function (p) {
      loadCell(m.rows[p.value[1]].code, m.columns[p.value[0]].code);
    });
    charts.matrix = chart;
  }

  // ----------------------------------------------------------------------------------------- trend
  function drawTrend() {
    var t = data("trend-data");
    var chart = init("trend-chart");
    if (!chart || !t) return;
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { type: "scroll" },
      grid: { left: 10, right: 20, containLabel: true },
      xAxis: { type: "category", data: t.months }, yAxis: { type: "value", minInterval: 1 },
      series: t.series.map(function (s) {
        return { type: "line", name: (s.code === "other" ? "" : s.code + " ") + s.name, data: s.counts, smooth: false };
      })
    });
    charts.trend = chart;
  }

  // ---------------------------------------------------------------------------------------- funnel
  function drawFunnel() {
    var f = data("funnel-data");
    var chart = init("funnel-chart");
    if (!chart || !f) return;
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          var s = f.steps[p.dataIndex];
          return s.label + "：" + s.count + " 条" + (s.median_days === null ? "" : "<br>距上一环节中位 " + s.median_days + " 天");
        }
      },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%", gap: 2,
        label: { formatter: function (p) { return p.name + " " + p.value; } },
        data: f.steps.map(function (s) { return { name: s.label, value: s.count }; })
      }]
    });
    charts.funnel = chart;
  }

  drawMap();
  drawGap();
  drawMatrix();
  drawTrend();
  drawFunnel();
})();
