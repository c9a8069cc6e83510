// Progressive enhancement of a link to a confirmation page: with the DSFR's JavaScript, a link
// marked data-guichet-modal="<dialog id>" becomes the button that opens that dialog, which
// holds the same form. Without JavaScript the link opens the confirmation page.
(function () {
  "use strict";
  var links = document.querySelectorAll("a[data-guichet-modal]");
  Array.prototype.forEach.call(links, function (link) {
    var modal = document.getElementById(link.getAttribute("data-guichet-modal"));
    if (!modal || typeof modal.showModal !== "function") { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    if (link.hasAttribute("aria-label")) {
      button.setAttribute("aria-label", link.getAttribute("aria-label"));
    }
    button.setAttribute("aria-controls", modal.id);
    button.setAttribute("data-fr-opened", "false");
    link.parentNode.replaceChild(button, link);
  });
}());
