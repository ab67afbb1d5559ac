// Opens YAML files that hold a flow as FDL. Files named *.fdl.yaml etc. are FDL by the
// package.json contribution; this covers flows with plain .yaml names. A file the user has
// switched back to YAML is left alone for the rest of the session.

import * as vscode from "vscode";
import { detectDialect, isTestFile } from "./model/detect";

export function registerDetection(context: vscode.ExtensionContext): void {
  const switched = new Set<string>();
  const declined = new Set<string>();
  const consider = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    if (doc.languageId !== "yaml") {
      return;
    }
    if (switched.has(key)) {
      // It was FDL because of us and is YAML again: the user's choice.
      declined.add(key);
      switched.delete(key);
      return;
    }
    if (declined.has(key) || !vscode.workspace.getConfiguration("fdl").get<boolean>("detectByContent", true)) {
      return;
    }
    const text = doc.getText();
    if (detectDialect(text) !== undefined || isTestFile(text)) {
      switched.add(key);
      void vscode.languages.setTextDocumentLanguage(doc, "fdl");
    }
  };
  // Changing a document's language closes and reopens it, so this also sees the user's
  // switch back to YAML.
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(consider));
  vscode.workspace.textDocuments.forEach(consider);
}
