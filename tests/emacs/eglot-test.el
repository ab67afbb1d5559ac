;;; eglot-test.el --- batch test of the eglot setup README.md gives  -*- lexical-binding: t -*-
;; Driven by tests/tests/emacs.rs: opens $FDL_FLOW with `fdl lsp' ($FDL_BIN) through eglot,
;; waits for diagnostics, asks for completion after `TaskMode: ', prints one JSON line.

(require 'json)
(require 'eglot)
(require 'yaml-mode)

(defun fdl-test-fail (message)
  (princ (format "FAIL %s\n" message))
  (kill-emacs 1))

;; The configuration README.md gives, with the binary under test on the exec-path.
(add-to-list 'auto-mode-alist '("\\.\\(fdl\\|flow\\)\\.yaml\\'" . yaml-mode))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(yaml-mode . ("fdl" "lsp"))))
(setq-default eglot-workspace-configuration '(:fdl (:mode "standard")))
(add-to-list 'exec-path (file-name-directory (getenv "FDL_BIN")))

(defun fdl-test-wait (predicate seconds)
  "Process events until PREDICATE holds or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(defun fdl-test-codes ()
  (sort (mapcar (lambda (d)
                  (let ((text (flymake-diagnostic-text d)))
                    (if (string-match "\\[\\([a-z-]+\\)\\]" text) (match-string 1 text) text)))
                (flymake-diagnostics))
        #'string<))

(condition-case err
    (progn
      (find-file (getenv "FDL_FLOW"))
      (unless (eq major-mode 'yaml-mode) (fdl-test-fail (format "major mode %s" major-mode)))
      ;; `eglot-ensure' waits for a command loop that batch mode never runs.
      (apply #'eglot (eglot--guess-contact))
      (unless (fdl-test-wait (lambda () (and (eglot-current-server) (flymake-diagnostics))) 20)
        (fdl-test-fail "no diagnostics"))
      (let ((first (fdl-test-codes)))
        (goto-char (point-min))
        (search-forward "TaskMode: ")
        (delete-region (point) (line-end-position))
        (let* ((capf (eglot-completion-at-point))
               (table (nth 2 capf))
               (labels (sort (all-completions "" table) #'string<)))
          (princ (concat (json-encode `((first . ,(vconcat first)) (completion . ,(vconcat labels)))) "\n"))
          (eglot-shutdown (eglot-current-server))
          (kill-emacs 0))))
  (error (fdl-test-fail (format "%S" err))))
