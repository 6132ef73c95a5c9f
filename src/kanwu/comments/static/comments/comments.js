/* Comments under articles: per-reader state, and the 回复 / 取消回复 form moves.
 * The article HTML is the same for every reader; this script fetches the CSRF token, the
 * timing token and the reader's own held comments from /comments/state/. */
(function () {
  "use strict";

  var section = document.getElementById("comments");
  var respond = document.getElementById("respond");
  if (!section || !respond || !section.dataset.stateUrl) return;
  var form = document.getElementById("commentform");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var replyName = respond.querySelector(".reply-to-name");
  // Opened as ?replytocom=ID (the form already under a comment): 取消回复 then loads the
  // plain article page instead of moving the form.
  var startedInReply = !!(respond.closest && respond.closest("li.comment"));
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function hidden(name, value) {
    if (!form) return;
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function setParent(id) {
    if (form && form.elements.comment_parent) form.elements.comment_parent.value = id;
  }

  function moveForm(link) {
    var item = document.getElementById("comment-" + link.dataset.commentId);
    if (!item) return;
    var body = item.querySelector(".comment-body");
    body.parentNode.insertBefore(respond, body.nextSibling);
    setParent(link.dataset.commentId);
    if (replyName) replyName.textContent = "回复给 " + (link.dataset.author || "");
    cancel.hidden = false;
    var textarea = form && form.elements.comment;
    if (textarea) textarea.focus();
  }

  function resetForm() {
    home.parentNode.insertBefore(respond, home);
    setParent("0");
    if (replyName) replyName.textContent = "";
    cancel.hidden = true;
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link && section.contains(link)) {
      event.preventDefault();
      moveForm(link);
    }
  });
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      if (startedInReply) return;
      event.preventDefault();
      resetForm();
    });
  }

  function showPending(items) {
    var list = section.querySelector(".comment-list");
    items.forEach(function (item) {
      if (document.getElementById("comment-" + item.id)) return;
      var target = list;
      if (item.parent) {
        var parent = document.getElementById("comment-" + item.parent);
        if (parent) {
          target = parent.querySelector(":scope > ol.children");
          if (!target) {
            target = document.createElement("ol");
            target.className = "children";
            parent.appendChild(target);
          }
        }
      }
      target.insertAdjacentHTML("beforeend", item.html);
    });
    if (items.length && location.hash) {
      var anchor = document.getElementById(location.hash.slice(1));
      if (anchor) anchor.scrollIntoView();
    }
  }

  fetch(section.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (state) {
      if (!state) return;
      hidden("csrfmiddlewaretoken", state.csrf);
      Object.keys(state.fields || {}).forEach(function (name) {
        if (name !== "kanwu_hp") hidden(name, state.fields[name]);
      });
      if (form) form.dataset.ready = "1";
      showPending(state.pending || []);
    })
    .catch(function () { /* the no-JS path still works through the form page */ });
})();
