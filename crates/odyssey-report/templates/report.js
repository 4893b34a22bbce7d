/* Odyssey report: small progressive enhancements. The page is complete without them. */
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  // Searchable tables: <input data-filter-target="TABLE_ID" data-filter-count="SPAN_ID">
  function filterRows(input) {
    var table = document.getElementById(input.getAttribute('data-filter-target'));
    if (!table || !table.tBodies.length) {
      return;
    }
    var query = input.value.trim().toLowerCase();
    var rows = table.tBodies[0].rows;
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = query === '' || rows[i].textContent.toLowerCase().indexOf(query) !== -1;
      rows[i].hidden = !hit;
      if (hit) {
        shown++;
      }
    }
    var count = document.getElementById(input.getAttribute('data-filter-count'));
    if (count) {
      count.textContent = shown + ' of ' + rows.length + ' shown';
    }
  }
  var inputs = document.querySelectorAll('input[data-filter-target]');
  for (var i = 0; i < inputs.length; i++) {
    (function (el) {
      el.addEventListener('input', function () { filterRows(el); });
    })(inputs[i]);
  }

  // Printing: open the collapsed sections (except long lists marked data-print="closed"),
  // and close them again afterwards.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    var closed = document.querySelectorAll('details:not([open]):not([data-print="closed"])');
    for (var j = 0; j < closed.length; j++) {
      closed[j].open = true;
      opened.push(closed[j]);
    }
  });
  window.addEventListener('afterprint', function () {
    for (var k = 0; k < opened.length; k++) {
      opened[k].open = false;
    }
    opened = [];
  });
})();
