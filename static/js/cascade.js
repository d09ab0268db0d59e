/* Cascading selects that fill a code input: 门类 → 大类 → 中类 → 小类, or 省 → 市 → 县.
   Usage: cascade(inputId, url, key, levels). The input keeps working for people who type the code. */
function cascade(inputId, url, key, levels) {
  var input = document.getElementById(inputId);
  if (!input) return;
  var holder = document.createElement("div");
  holder.className = "cascade";
  input.parentNode.insertBefore(holder, input);
  var selects = [];
  function load(level, parent) {
    for (var i = level; i < selects.length; i++) { selects[i].remove(); }
    selects = selects.slice(0, level);
    if (level >= levels) return;
    fetch(url + (parent ? "?parent=" + encodeURIComponent(parent) : "")).then(function (r) { return r.json(); }).then(function (data) {
      if (!data[key].length) return;
      var select = document.createElement("select");
      select.setAttribute("aria-label", inputId + "-" + level);
      var blank = document.createElement("option");
      blank.value = ""; blank.textContent = "请选择";
      select.appendChild(blank);
      data[key].forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.code; option.textContent = item.code + " " + item.name;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        if (select.value) { input.value = select.value; load(level + 1, select.value); }
      });
      holder.appendChild(select);
      selects.push(select);
    });
  }
  load(0, "");
}
