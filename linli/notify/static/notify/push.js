// "Allow notifications in this browser": registers the service worker for the whole site
// (served by /notify/sw.js with Service-Worker-Allowed: /), subscribes with the server's VAPID
// public key and posts the subscription to /notify/push/; "stop" unsubscribes and tells the
// server. The server deletes a subscription the push service reports gone (404/410).
(function () {
  "use strict";

  function keyBytes(base64) {
    const padded = (base64 + "=".repeat((4 - (base64.length % 4)) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    const raw = window.atob(padded);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text) {
    const status = document.querySelector("[data-linli-push-status]");
    if (status) status.textContent = text;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  }

  async function subscribe(button) {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      say(button.dataset.unsupported || "此浏览器不支持通知。");
      return;
    }
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("未获得通知权限。");
      return;
    }
    const registration = await navigator.serviceWorker.register(button.dataset.sw, { scope: "/" });
    await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(button.dataset.linliPush),
      });
    }
    const answer = await post(button.dataset.url, subscription.toJSON());
    say(answer.ok ? "已开启本浏览器通知。" : "开启失败，请稍后再试。");
  }

  async function stop(button) {
    if (!("serviceWorker" in navigator)) return;
    const registration = await navigator.serviceWorker.getRegistration("/");
    const subscription = registration && (await registration.pushManager.getSubscription());
    if (subscription) {
      await post(button.dataset.url, { endpoint: subscription.endpoint, remove: true });
      await subscription.unsubscribe();
    }
    say("已关闭本浏览器通知。");
  }

  document.addEventListener("click", (event) => {
    const on = event.target.closest("[data-linli-push]");
    const off = event.target.closest("[data-linli-push-stop]");
    const action = on ? subscribe(on) : off ? stop(off) : null;
    if (action) action.catch(() => say("操作失败，请稍后再试。"));
  });
})();
