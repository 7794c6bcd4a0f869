// The calendar page (templates/calendar.html): FullCalendar reads the entries of the visible
// range from data-events-url; dropping an entry posts its new start (and end) to the entry's
// moveUrl with the page's CSRF token, and puts it back if the server refuses.
(function () {
  var element = document.getElementById("calendar");
  if (!element) { return; }
  var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var toast = document.getElementById("calendar-toast");

  function say(text) {
    toast.querySelector(".toast-body").textContent = text;
    bootstrap.Toast.getOrCreateInstance(toast).show();
  }

  function move(info) {
    var body = new URLSearchParams({start: info.event.start.toISOString()});
    if (info.event.end) { body.append("end", info.event.end.toISOString()); }
    fetch(info.event.extendedProps.moveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (response) {
      if (response.ok) {
        say(element.dataset.moved.replace("{title}", info.event.title));
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (problem) {
        info.revert();
        say(element.dataset.refused.replace("{reason}", problem.detail || response.statusText));
      });
    }).catch(function () { info.revert(); });
  }

  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  var calendar = new FullCalendar.Calendar(element, {
    locale: element.dataset.locale,
    initialView: narrow ? "listWeek" : "dayGridMonth",
    headerToolbar: narrow
      ? {left: "prev,next", center: "title", right: "listWeek,timeGridDay"}
      : {left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek"},
    height: "auto",
    nowIndicator: true,
    eventStartEditable: true,
    eventDurationEditable: true,
    events: element.dataset.eventsUrl,
    eventDrop: move,
    eventResize: move
  });
  calendar.render();
})();
