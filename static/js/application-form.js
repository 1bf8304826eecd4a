/* Filing application form: repeating rows, level limits, autosave and a local safety copy.
 *
 * Nothing typed may be lost: every change is copied to localStorage at once and saved to the server every
 * few seconds (autosave). If the session has expired, the server answers with the sign-in page instead of
 * JSON; the copy stays in the browser and is put back into the form on the next visit.
 */
(function () {
  "use strict";
  const form = document.getElementById("application-form");
  if (!form) return;
  const storageKey = form.dataset.storageKey;
  const statusEl = document.getElementById("autosave-status");
  const dirtyEl = document.getElementById("dirty-status");
  const offerings = JSON.parse(document.getElementById("offerings-data").textContent);
  const levelsByOccupation = Object.fromEntries(offerings.map((o) => [o.occupation, o.levels.map(String)]));
  let dirty = false;
  let saving = false;

  function t(zh, en) {
    return document.documentElement.lang.startsWith("zh") ? zh : en;
  }

  /* ---------- repeating rows ---------- */
  function renumber(tbody, prefix) {
    const rows = tbody.querySelectorAll("tr.form-row");
    const rowLabel = tbody.closest("table").dataset.rowLabel || "__n__";
    // Names, ids and the ids a cell's field is labelled and described by (its row's header, its error).
    const pattern = new RegExp("(^|\\s|id_)" + prefix + "-(\\d+|__prefix__)-", "g");
    rows.forEach((row, index) => {
      row.querySelector(".row-index").textContent = index + 1;
      row.querySelector(".row-label").textContent = rowLabel.replace("__n__", index + 1);
      row.querySelectorAll("[name], [id], [aria-labelledby], [aria-describedby]").forEach((el) => {
        ["name", "id", "aria-labelledby", "aria-describedby"].forEach((attr) => {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
        });
      });
    });
    form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`).value = rows.length;
  }

  function addRow(prefix) {
    const template = document.getElementById("tpl-" + prefix);
    const tbody = form.querySelector(`table[data-prefix="${prefix}"] tbody`);
    tbody.appendChild(template.content.cloneNode(true));
    renumber(tbody, prefix);
    const row = tbody.lastElementChild;
    limitLevels();
    const first = row.querySelector("input, select");
    if (first) first.focus();
    return row;
  }

  form.addEventListener("click", (event) => {
    const add = event.target.closest(".add-row");
    if (add) {
      addRow(add.dataset.prefix);
      markDirty();
      return;
    }
    const remove = event.target.closest(".remove-row");
    if (remove) {
      const row = remove.closest("tr");
      const tbody = row.parentElement;
      const prefix = tbody.closest("table").dataset.prefix;
      const next = row.nextElementSibling;
      if (next && !next.classList.contains("form-row")) next.remove(); // its row-level error line
      row.remove();
      renumber(tbody, prefix);
      markDirty();
    }
  });

  /* ---------- levels allowed by the call and the scope ---------- */
  function limitLevels() {
    const scope = (form.querySelector('[name="basic-scope"]') || {}).value;
    form.querySelectorAll('table[data-prefix="occupations"] tr.form-row').forEach((row) => {
      const occupation = row.querySelector('select[name$="-occupation"]');
      const level = row.querySelector('select[name$="-level"]');
      if (!occupation || !level) return;
      const allowed = levelsByOccupation[occupation.value];
      Array.from(level.options).forEach((option) => {
        if (!option.value) return;
        let ok = !allowed || allowed.includes(option.value);
        if (scope === "city" && Number(option.value) < 3) ok = false;
        option.disabled = !ok;
      });
      if (level.selectedOptions[0] && level.selectedOptions[0].disabled) level.value = "";
    });
  }
  form.addEventListener("change", (event) => {
    if (event.target.matches('[name="basic-scope"], select[name^="occupations-"]')) limitLevels();
  });
  limitLevels();

  /* ---------- local safety copy ---------- */
  function snapshot() {
    const values = {};
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach((el) => {
      if (el.type === "file" || el.name === "csrfmiddlewaretoken") return;
      values[el.name] = el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
    });
    return values;
  }

  function keepLocally() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ at: Date.now(), values: snapshot() }));
    } catch (e) {
      /* storage full or disabled: the server autosave still runs */
    }
  }

  function restoreLocalCopy() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return;
    }
    if (!saved) return;
    const serverSavedAt = Number(form.dataset.savedAt || 0) * 1000;
    if (saved.at <= serverSavedAt) {
      localStorage.removeItem(storageKey);
      return;
    }
    const values = saved.values;
    // Recreate the rows the copy had, then fill every field.
    form.querySelectorAll("input.total-forms").forEach((total) => {
      const prefix = total.name.replace("-TOTAL_FORMS", "");
      const wanted = Number(values[total.name] || 0);
      const tbody = form.querySelector(`table[data-prefix="${prefix}"] tbody`);
      while (tbody.querySelectorAll("tr.form-row").length < wanted) addRow(prefix);
    });
    let changed = false;
    Object.entries(values).forEach(([name, value]) => {
      const el = form.querySelector(`[name="${CSS.escape(name)}"]`);
      if (!el || el.type === "hidden") return;
      if (el.value !== value) {
        el.value = value;
        changed = true;
      }
    });
    limitLevels();
    if (changed) {
      document.getElementById("restore-banner").classList.remove("d-none");
      markDirty();
    }
  }

  /* ---------- autosave ---------- */
  function markDirty() {
    dirty = true;
    dirtyEl.textContent = t("有未保存的修改", "Unsaved changes");
    keepLocally();
  }

  function updateOverview(overview) {
    overview.forEach((item) => {
      const badge = document.querySelector(`#section-overview [data-section="${item.key}"] .section-status`);
      if (!badge) return;
      badge.dataset.complete = item.complete ? "1" : "0";
      badge.dataset.errors = item.errors ? "1" : "0";
      badge.dataset.started = item.started ? "1" : "0";
    });
  }

  async function autosave() {
    if (!dirty || saving) return;
    saving = true;
    const body = new FormData(form);
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body,
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
        redirect: "manual",
      });
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.includes("application/json")) {
        const result = await response.json();
        dirty = false;
        dirtyEl.textContent = "";
        statusEl.textContent = t("已自动保存 ", "Saved automatically at ") + result.saved_at;
        updateOverview(result.overview);
        localStorage.removeItem(storageKey);
        document.getElementById("session-banner").classList.add("d-none");
      } else if (response.type === "opaqueredirect" || response.status === 302 || response.status === 403) {
        document.getElementById("session-banner").classList.remove("d-none");
      } else if (type.includes("application/json")) {
        const result = await response.json();
        statusEl.textContent = result.error || t("自动保存失败，请点击“保存草稿”", "Autosave failed; press Save draft");
      } else {
        statusEl.textContent = t("自动保存失败，请点击“保存草稿”", "Autosave failed; press Save draft");
      }
    } catch (e) {
      statusEl.textContent = t("网络中断，内容已暂存在本机浏览器", "Offline; your input is kept in this browser");
    } finally {
      saving = false;
    }
  }

  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", (event) => {
    keepLocally();
    const anchor = form.querySelector('input[name="anchor"]');
    const current = Array.from(form.querySelectorAll(".section-card")).find((card) => card.getBoundingClientRect().bottom > 80);
    if (anchor && current) anchor.value = "#" + current.id;
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      keepLocally();
      event.preventDefault();
    }
  });
  setInterval(autosave, 8000);

  /* ---------- uploads without leaving the page ---------- */
  document.querySelectorAll(".upload-form").forEach((uploadForm) => {
    uploadForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = uploadForm.querySelector('input[type="file"]');
      const error = uploadForm.querySelector(".upload-error");
      input.classList.remove("is-invalid");
      if (!input.files.length) {
        input.classList.add("is-invalid");
        error.textContent = t("请选择要上传的文件。", "Choose a file to upload.");
        return;
      }
      if (input.files[0].size > 20 * 1024 * 1024) {
        input.classList.add("is-invalid");
        error.textContent = t("文件不能超过 20 MB。", "Files may be at most 20 MB.");
        return;
      }
      await autosave();
      const response = await fetch(uploadForm.action, {
        method: "POST",
        body: new FormData(uploadForm),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        redirect: "manual",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) {
        document.getElementById("session-banner").classList.remove("d-none");
        return;
      }
      const result = await response.json();
      if (!result.ok) {
        input.classList.add("is-invalid");
        error.textContent = result.error;
        return;
      }
      const list = uploadForm.closest("li").querySelector(".attachment-list");
      const item = document.createElement("li");
      item.className = "d-flex align-items-center gap-2";
      const link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.name;
      item.innerHTML = '<i class="bi bi-paperclip" aria-hidden="true"></i>';
      item.appendChild(link);
      list.appendChild(item);
      input.value = "";
    });
  });

  restoreLocalCopy();
})();
