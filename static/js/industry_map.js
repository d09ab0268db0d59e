/* 产业图谱's treemap: each box an industry, its area the number of enterprises, its colour how well its
   needs are served (the same 服务情况 as the table). Every number comes from the JSON the page embeds,
   built by the same selector as the table and the export; ECharts is the project's static file. */
(function () {
  "use strict";
  var el = document.getElementById("industry-treemap");
  var source = document.getElementById("industry-map-data");
  if (!el || !source) return;
  if (!window.echarts) {
    el.innerHTML = '<p class="muted">图表库未安装（运行 python3 dev.py serve 会安装），请查看下方表格。</p>';
    el.style.height = "auto";
    return;
  }
  var COLOURS = { good: "#12b76a", partial: "#f79009", poor: "#d92d20", none: "#98a2b3" };

  function node(n) {
    var out = {
      name: n.code + " " + n.name,
      value: n.enterprises,
      numbers: n,
      itemStyle: { color: COLOURS[n.served] },
    };
    if (n.children && n.children.length) out.children = n.children.map(node);
    return out;
  }

  function percent(coverage) {
    return coverage === null ? "—" : (Math.round(coverage * 1000) / 10).toFixed(1) + "%";
  }

  var sections = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        var n = p.data && p.data.numbers;
        if (!n) return "";
        return [
          "<b>" + echarts.format.encodeHTML(p.name) + "</b>",
          "企业数：" + n.enterprises,
          "发布需求：" + n.needs_posted + "，获得对接：" + n.needs_engaged + "，未获对接：" + n.needs_unanswered,
          "服务小分队：" + n.teams_serving + "，进行中对接：" + n.engagements_open + "，已完成：" + n.engagements_completed,
          "对接覆盖率：" + percent(n.coverage) + "（" + n.served_label + "）",
        ].join("<br>");
      },
    },
    series: [
      {
        type: "treemap",
        name: "全部门类",
        data: sections.map(node),
        leafDepth: 1,
        roam: false,
        left: 0,
        right: 0,
        top: 24,
        bottom: 36,
        label: { show: true, formatter: "{b}" },
        upperLabel: { show: true, height: 22 },
        breadcrumb: { show: true },
        levels: [{ itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 } }],
      },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
  window.industryTreemap = chart;
})();
