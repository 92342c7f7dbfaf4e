// The upload page: sends the CSV to POST /api/upload, then polls GET /api/status until the request
// is no longer processing. Every text from the server or the file is inserted with textContent.
"use strict";

(function () {
  const POLL_MS = 1000;

  const el = (id) => document.getElementById(id);
  const form = el("upload-form");
  const fileInput = el("file");
  const fileName = el("file-name");
  const dropZone = el("drop-zone");
  const uploadButton = el("upload-button");
  const message = el("message");
  const problemsPanel = el("problems-panel");
  const problemsList = el("problems");
  const requestPanel = el("request-panel");
  const imagesPanel = el("images-panel");
  const thumbnails = el("thumbnails");

  let pollTimer = null;
  let currentId = null;
  let droppedFile = null;

  function show(node, visible) {
    node.hidden = !visible;
  }

  function showMessage(text) {
    message.textContent = text;
    show(message, Boolean(text));
  }

  function chosenFile() {
    return droppedFile || (fileInput.files && fileInput.files[0]) || null;
  }

  function updateFileName() {
    const file = chosenFile();
    fileName.textContent = file ? file.name + " (" + file.size.toLocaleString() + " bytes)" : "No file chosen";
  }

  fileInput.addEventListener("change", () => {
    droppedFile = null;
    updateFileName();
  });

  ["dragenter", "dragover"].forEach((type) => dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((type) => dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
  }));
  dropZone.addEventListener("drop", (event) => {
    const files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length > 0) {
      droppedFile = files[0];
      updateFileName();
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = chosenFile();
    if (!file) {
      showMessage("Choose a CSV file first.");
      fileInput.focus();
      return;
    }
    const body = new FormData();
    body.append("file", file, file.name);
    const webhook = el("webhook-url").value.trim();
    if (webhook) {
      body.append("webhook_url", webhook);
    }
    showMessage("");
    show(problemsPanel, false);
    uploadButton.disabled = true;
    uploadButton.textContent = "Uploading…";
    try {
      const response = await fetch("/api/upload", { method: "POST", body });
      const json = await response.json().catch(() => ({}));
      if (response.ok && json.requestId) {
        startWatching(json.requestId);
      } else if (response.status === 404 && Array.isArray(json.problems)) {
        showProblems(json.problems);
      } else {
        showMessage((json.msg || "The upload failed") + (json.detail ? ": " + json.detail : "") +
          " (HTTP " + response.status + ")");
      }
    } catch (error) {
      showMessage("The server could not be reached: " + error.message);
    } finally {
      uploadButton.disabled = false;
      uploadButton.textContent = "Upload and process";
    }
  });

  el("lookup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = el("lookup-id").value.trim();
    if (id) {
      showMessage("");
      show(problemsPanel, false);
      startWatching(id);
    }
  });

  el("copy-id").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(currentId);
      el("copy-id").textContent = "Copied";
    } catch (error) {
      el("copy-id").textContent = "Select and copy";
    }
  });

  function showProblems(problems) {
    problemsList.replaceChildren(...problems.map((problem) => {
      const item = document.createElement("li");
      if (problem.line > 0 || problem.column) {
        const where = document.createElement("span");
        where.className = "problem-where";
        where.textContent = [problem.line > 0 ? "Line " + problem.line : "", problem.column ? "column " + problem.column : ""]
          .filter(Boolean).join(", ") + ": ";
        item.append(where);
      }
      item.append(document.createTextNode(problem.message));
      return item;
    }));
    show(requestPanel, false);
    show(imagesPanel, false);
    show(problemsPanel, true);
    problemsPanel.focus();
  }

  function startWatching(id) {
    currentId = id;
    if (pollTimer) {
      clearTimeout(pollTimer);
    }
    el("request-id").textContent = id;
    el("copy-id").textContent = "Copy";
    el("lookup-id").value = id;
    el("progress").value = 0;
    el("counts").textContent = "Waiting for the first results…";
    setState("processing", "PROCESSING");
    show(el("result-links"), false);
    thumbnails.replaceChildren();
    show(imagesPanel, false);
    show(requestPanel, true);
    poll();
  }

  async function poll() {
    const id = currentId;
    try {
      const response = await fetch("/api/status?request_id=" + encodeURIComponent(id), { cache: "no-store" });
      const json = await response.json().catch(() => ({}));
      if (id !== currentId) {
        return;
      }
      if (!response.ok) {
        show(requestPanel, false);
        showMessage(json.error || ("Status query failed (HTTP " + response.status + ")"));
        return;
      }
      render(json);
      if (json.status === "processing") {
        pollTimer = setTimeout(poll, POLL_MS);
      }
    } catch (error) {
      showMessage("The server could not be reached: " + error.message + " (retrying)");
      pollTimer = setTimeout(poll, POLL_MS * 3);
    }
  }

  function setState(status, state) {
    const badge = el("state");
    const labels = {
      PROCESSING: "processing",
      COMPLETED: "completed",
      COMPLETED_WITH_ERRORS: "completed with errors",
      FAILED: "failed",
      CANCELLED: "cancelled",
    };
    badge.textContent = labels[state] || status;
    badge.className = "badge " + (state === "COMPLETED_WITH_ERRORS" ? "warning" : status);
    badge.dataset.state = state || "";
  }

  function render(status) {
    showMessage("");
    setState(status.status, status.state);
    const total = status.total_images || 0;
    const done = (status.succeeded || 0) + (status.failed || 0);
    const progress = el("progress");
    progress.max = Math.max(total, 1);
    progress.value = total === 0 ? 1 : done;
    progress.setAttribute("aria-valuetext", done + " of " + total + " images done");

    const counts = el("counts");
    counts.replaceChildren(
      strong(done), document.createTextNode(" of "), strong(total), document.createTextNode(" images done · "),
      strong(status.succeeded || 0), document.createTextNode(" processed · "),
      strong(status.failed || 0), document.createTextNode(" failed"));
    if (status.failure_reason) {
      counts.append(document.createTextNode(" · " + status.failure_reason));
    }

    if (status.file_path) {
      const link = el("csv-link");
      link.href = status.file_path;
      link.setAttribute("download", "");
      show(el("result-links"), true);
    }
    renderImages(status.images || []);
  }

  function strong(value) {
    const node = document.createElement("strong");
    node.textContent = String(value);
    return node;
  }

  function renderImages(images) {
    if (images.length === 0) {
      show(imagesPanel, false);
      return;
    }
    if (thumbnails.children.length === images.length) {
      return;
    }
    thumbnails.replaceChildren(...images.map(thumbnail));
    show(imagesPanel, true);
  }

  // The last path segment says more in a small caption than the host; the full URL is its tooltip.
  function lastSegment(url) {
    try {
      const last = new URL(url).pathname.split("/").filter(Boolean).pop();
      return last ? decodeURIComponent(last) : url;
    } catch (error) {
      return url;
    }
  }

  function thumbnail(image) {
    const item = document.createElement("li");
    item.className = "thumb" + (image.error ? " failed" : "");
    const where = "Row " + image.row + ", image " + image.index;
    if (image.output_url) {
      const link = document.createElement("a");
      link.href = image.output_url;
      const img = document.createElement("img");
      img.src = image.output_url;
      img.alt = where + ", processed";
      img.loading = "lazy";
      link.append(img);
      item.append(link);
    } else {
      const box = document.createElement("div");
      box.className = "error-box";
      const code = document.createElement("span");
      code.className = "error-code";
      code.textContent = image.error ? image.error.code : "no output";
      const text = document.createElement("span");
      text.textContent = image.error ? image.error.message : "";
      const wrapper = document.createElement("div");
      wrapper.append(code, text);
      box.append(wrapper);
      item.append(box);
    }
    const caption = document.createElement("div");
    caption.className = "caption";
    const title = document.createElement("span");
    title.className = "where";
    title.textContent = where;
    const source = document.createElement("span");
    source.className = "source";
    source.textContent = lastSegment(image.url);
    source.title = image.url;
    caption.append(title, source);
    item.append(caption);
    return item;
  }
})();
