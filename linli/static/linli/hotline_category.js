/* Hotline request forms (staff and portal): show the questions of the chosen category and
   check the number of photos before upload. Loaded by hotline/_category_script.html. */
(function () {
  var select = document.getElementById("category");
  if (!select) return;
  function show() {
    document.querySelectorAll(".questions").forEach(function (block) {
      block.hidden = block.dataset.category !== select.value;
    });
  }
  select.addEventListener("change", show);
  show();
  var photos = document.getElementById("photos");
  if (photos) photos.addEventListener("change", function () {
    var max = parseInt(photos.dataset.max || "3", 10);
    photos.setCustomValidity(photos.files.length > max ? photos.dataset.tooMany : "");
  });
})();
