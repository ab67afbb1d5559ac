use std::path::{Path, PathBuf};

use super::*;
use crate::integrations::{OPTIMIZED_INTEGRATIONS, TaskMode};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")
}

fn update_requested() -> bool {
    std::env::var_os("UPDATE_CATALOG").is_some_and(|v| v != "0")
}

/// The index payload and one payload per product (`None`: no detail).
type Payloads = (Vec<u8>, Vec<Option<Vec<u8>>>);

/// The payloads of a catalog file, inflated.
fn payloads(file: &[u8]) -> Option<Payloads> {
    let c = format::split_container(file)?;
    let products = c
        .blobs
        .iter()
        .map(|b| if b.is_empty() { Some(None) } else { format::inflate(b).map(Some) })
        .collect::<Option<Vec<_>>>()?;
    Some((c.index, products))
}

/// Files kept verbatim next to the compact data: the attribution and licence texts.
fn verbatim_files(shared: &Path) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("NOTICE.md")];
    let mut licences: Vec<PathBuf> = std::fs::read_dir(shared.join("LICENSES"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| Path::new("LICENSES").join(e.file_name()))
        .collect();
    licences.sort();
    files.extend(licences);
    files
}

/// `schema/catalog/` must hold what the generator makes of `../shared/catalog`. Payloads
/// are compared, not compressed bytes, so a different deflate implementation does not
/// make the copy stale. `UPDATE_CATALOG=1 cargo test -p fdl-schema catalog` rewrites it.
#[test]
fn committed_catalog_is_current() {
    let shared = generate::shared_catalog_dir();
    if !shared.join("products.json").is_file() {
        eprintln!("skipped: {} is not here, so the committed catalog cannot be compared", shared.display());
        return;
    }
    let generated = generate::generate(&shared).expect("the shared catalog converts");
    let dir = committed_dir();
    let bin = dir.join("catalog.bin");
    let on_disk = std::fs::read(&bin).unwrap_or_default();
    let mut stale = Vec::new();
    if payloads(&on_disk) != Some((generated.index.clone(), generated.products.clone())) {
        stale.push(bin.clone());
    }
    for file in verbatim_files(&shared) {
        let want = std::fs::read(shared.join(&file)).expect("readable shared file");
        if std::fs::read(dir.join(&file)).ok().as_ref() != Some(&want) {
            stale.push(dir.join(&file));
        }
    }
    if stale.is_empty() {
        return;
    }
    if update_requested() {
        std::fs::create_dir_all(dir.join("LICENSES")).unwrap();
        std::fs::write(&bin, format::write::container(&generated.index, &generated.products)).unwrap();
        for file in verbatim_files(&shared) {
            // Written, not copied: a copy would keep the source's read-only permissions.
            std::fs::write(dir.join(&file), std::fs::read(shared.join(&file)).unwrap()).unwrap();
        }
        eprintln!("updated {}", dir.display());
        return;
    }
    panic!(
        "the committed catalog is out of date with {}: {}\nRegenerate it with \
         `UPDATE_CATALOG=1 cargo test -p fdl-schema catalog` and commit the result.",
        shared.display(),
        stale.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    );
}

#[test]
fn snapshot_size() {
    let (products, apis) = stats();
    assert_eq!(products, 332);
    assert_eq!(apis, 23_673);
}

#[test]
fn every_product_decodes() {
    let index = store::index().unwrap();
    let mut params = 0;
    let mut with_detail = 0;
    for p in &index.products {
        if !p.has_detail() {
            assert!(p.detail().is_none());
            continue;
        }
        with_detail += 1;
        let detail = p.detail().unwrap_or_else(|| panic!("{} decodes", p.code));
        assert_eq!(detail.apis.len(), p.apis.len(), "{}", p.code);
        for (record, name) in detail.apis.iter().zip(index.api_names(p)) {
            assert_eq!(record.name, *name);
        }
        params += detail.apis.iter().map(|a| a.params.len()).sum::<usize>();
    }
    assert_eq!(with_detail, 320);
    // The README's 115,758 counts every version; the default versions hold this many.
    assert_eq!(params, 105_377);
}

fn found(dialect: Dialect, service: &str, api: &str) -> (ApiDetail, bool) {
    match lookup_action(dialect, service, api) {
        ActionLookup::Found { detail, params_apply } => (detail, params_apply),
        other => panic!("{service}:{api}: {other:?}"),
    }
}

#[test]
fn services_match_ignoring_case_and_apis_exactly() {
    for service in ["ECS", "ecs", "Ecs", " eCs "] {
        let (d, apply) = found(Dialect::CloudFlow, service, "DescribeInstances");
        assert!(apply);
        assert_eq!(
            (d.service, d.name, d.version, d.source),
            ("Ecs", "DescribeInstances", "2014-05-26", ApiSource::OpenApi)
        );
        assert_eq!(d.product, "Elastic Compute Service");
        let region = d.param("RegionId").unwrap();
        assert_eq!((region.required, region.ty), (Some(true), ParamType::String));
        let page = d.param("PageSize").unwrap();
        assert_eq!(page.maximum.map(|b| b.value), Some(100.0));
        let tag = d.param("Tag").unwrap();
        assert_eq!(tag.type_label(), "array<object>");
        assert!(tag.fields.iter().any(|f| f.name == "Key"));
    }
    assert!(matches!(
        lookup_action(Dialect::CloudFlow, "ECS", "describeInstances"),
        ActionLookup::UnknownApi { service: ServiceRef { code: "Ecs", .. }, other_version: None }
    ));
    assert_eq!(lookup_action(Dialect::CloudFlow, "NoSuchService", "Foo"), ActionLookup::UnknownService);
    let (run, _) = found(Dialect::CloudFlow, "ecs", "RunInstances");
    assert!(run.param("SystemDisk.Size").is_some(), "flattened names are parameters");
}

#[test]
fn visual_intelligence_and_legacy_actions() {
    for dialect in Dialect::ALL {
        let (d, _) = found(*dialect, "goodstech", "ClassifyCommodity");
        assert_eq!(d.params.len(), 1);
        assert_eq!((d.params[0].name, d.params[0].required), ("ImageURL", Some(true)));
        found(*dialect, "ocr", "RecognizeIdentityCard");
        found(*dialect, "facebody", "DetectFace");
    }
    // Legacy flows call the OpenAPI StartExecution; CloudFlow's FNF:StartExecution is its
    // optimized integration.
    let (legacy, _) = found(Dialect::Legacy, "fnf", "StartExecution");
    assert_eq!(legacy.source, ApiSource::OpenApi);
    assert_eq!(legacy.param("FlowName").unwrap().required, Some(true));
    let (cloudflow, _) = found(Dialect::CloudFlow, "FNF", "StartExecution");
    assert_eq!(cloudflow.source, ApiSource::Optimized);
    assert!(cloudflow.param("resourceArn").is_some());
    assert_eq!(lookup_action(Dialect::Legacy, "HTTP", "Request"), ActionLookup::UnknownService);
}

#[test]
fn optimized_integrations_take_precedence() {
    let (fc, _) = found(Dialect::CloudFlow, "FC", "InvokeFunction");
    assert_eq!((fc.source, fc.service, fc.product), (ApiSource::Optimized, "FC", "Function Compute"));
    assert_eq!(fc.param("invocationType").unwrap().enum_values.as_ref(), ["Sync", "Async"]);
    let (list, _) = found(Dialect::CloudFlow, "fc", "ListFunctions");
    assert_eq!((list.source, list.service), (ApiSource::OpenApi, "FC"));
    let (mns, _) = found(Dialect::CloudFlow, "mns", "SendMessage");
    assert_eq!(mns.param("priority").unwrap().maximum.map(|b| b.value), Some(16.0));
    assert!(matches!(
        lookup_action(Dialect::CloudFlow, "MNS", "SendMesage"),
        ActionLookup::UnknownApi { service: ServiceRef { code: "MNS", .. }, .. }
    ));
    found(Dialect::CloudFlow, "EventBridge", "PutEvents");
    found(Dialect::CloudFlow, "eventbridge", "ListEventBuses");
    found(Dialect::CloudFlow, "HTTP", "Request");
    found(Dialect::CloudFlow, "SMS", "SendSms");
    let (dash, _) = found(Dialect::CloudFlow, "DashScope", "QwenTextGeneration");
    assert_eq!(dash.source, ApiSource::Documented);
    // Other OSS operations exist, with CloudFlow's own undocumented parameters.
    let (put, apply) = found(Dialect::CloudFlow, "OSS", "PutObject");
    assert!(!apply && put.note.is_some());
    let (_, apply) = found(Dialect::Legacy, "oss", "PutObject");
    assert!(apply);
}

#[test]
fn products_without_detail_and_other_versions() {
    assert!(matches!(
        lookup_action(Dialect::CloudFlow, "ModelStudio", "Anything"),
        ActionLookup::NoApiData { service: ServiceRef { code: "ModelStudio", .. } }
    ));
    assert_eq!(
        lookup_action(Dialect::CloudFlow, "ess", "DeactivateScalingConfiguration"),
        ActionLookup::UnknownApi {
            service: ServiceRef { code: "Ess", name: "Auto Scaling" },
            other_version: Some("2014-08-28")
        }
    );
}

#[test]
fn products_load_on_first_use() {
    // A separate copy of the index: the shared one is touched by the other tests.
    let index = store::parse(store::FILE).unwrap();
    assert!(index.products.iter().all(|p| !p.is_loaded()));
    let product = index.product("CloudESL").unwrap();
    assert!(index.api_position(product, "DescribeStores").is_some(), "names come from the index");
    assert!(!product.is_loaded());
    assert!(product.detail().is_some());
    assert!(product.is_loaded());
    assert_eq!(index.products.iter().filter(|p| p.is_loaded()).count(), 1);
}

#[test]
fn completion_lists() {
    let cloudflow = services(Dialect::CloudFlow, "");
    assert_eq!(cloudflow[0].code, "FC");
    assert!(cloudflow.iter().any(|s| s.code == "MNS" && s.integration && s.product_code.is_none()));
    assert!(cloudflow.iter().all(|s| s.code != "fnf"), "FNF stands for the product fnf");
    assert_eq!(cloudflow.len(), 332 + 4);
    assert_eq!(services(Dialect::Legacy, "").len(), 332);
    assert_eq!(services(Dialect::CloudFlow, "ecs")[0].code, "Ecs");
    assert_eq!(services(Dialect::CloudFlow, "goodstech")[0].code, "goodstech");
    assert!(services(Dialect::CloudFlow, "云服务器").iter().any(|s| s.code == "Ecs"));
    assert_eq!(services(Dialect::CloudFlow, "eventbr")[0].code, "EventBridge");

    let fc = apis(Dialect::CloudFlow, "FC", "");
    assert_eq!((fc[0].name, fc[0].optimized), ("InvokeFunction", true));
    assert_eq!(fc.iter().filter(|a| a.name == "InvokeFunction").count(), 1);
    let ecs = apis(Dialect::CloudFlow, "ECS", "descinst");
    assert_eq!(ecs[0].name, "DescribeInstances");
    assert!(!ecs[0].summary.is_empty());
    assert_eq!(
        apis(Dialect::CloudFlow, "ECS", "").len(),
        store::index().unwrap().product("ecs").unwrap().apis.len()
    );
    let legacy_fc = apis(Dialect::Legacy, "FC", "invokefunction");
    assert!(!legacy_fc[0].optimized);
    assert!(apis(Dialect::CloudFlow, "NoSuchService", "").is_empty());

    let found = search_actions(Dialect::CloudFlow, "DescribeInstances", 10);
    assert!(found.iter().any(|a| a.service == "Ecs" && a.api == "DescribeInstances"), "{found:?}");
    assert!(found.len() <= 10);
    let own = search_actions(Dialect::CloudFlow, "SendMessage", 50);
    assert!(own.iter().any(|a| a.service == "MNS" && a.api == "SendMessage"), "{own:?}");
    assert!(search_actions(Dialect::Legacy, "SendMessage", 50).iter().all(|a| a.service != "MNS"));
    let scoped = search_actions(Dialect::CloudFlow, "fnf:startexec", 3);
    assert_eq!((scoped[0].service, scoped[0].api), ("FNF", "StartExecution"));
}

#[test]
fn hover_text() {
    let (d, _) = found(Dialect::CloudFlow, "ECS", "DescribeInstances");
    let text = hover_markdown(&d, &[TaskMode::RequestComplete]);
    assert!(text.starts_with(
        "**Ecs:DescribeInstances** · Elastic Compute Service (云服务器 ECS) · API version 2014-05-26\n"
    ));
    assert!(text.contains("| `RegionId` | string | yes |"), "{text}");
    assert!(text.contains("TaskMode: `RequestComplete`"));
    let table_start = text.find("| Parameter").unwrap();
    assert!(text[table_start..].lines().nth(2).unwrap().contains("RegionId"), "required first");

    let (fc, _) = found(Dialect::CloudFlow, "FC", "InvokeFunction");
    let text = hover_markdown(&fc, &[TaskMode::RequestComplete, TaskMode::WaitForSystemCallback]);
    assert!(text.starts_with(
        "**FC:InvokeFunction** · Function Compute (函数计算) · CloudFlow optimized integration"
    ));
    assert!(text.contains("(one of `Sync`, `Async`)"), "{text}");
    assert!(text.contains("[Documentation](https://"));
    let doc = param_markdown(fc.param("invocationType").unwrap());
    assert!(doc.starts_with("`invocationType`: string, required\n"), "{doc}");
}

#[test]
fn legacy_targets_and_arn_forms() {
    let queue = crate::integrations::classify_resource_arn("acs:mns:::/queues/q/messages").unwrap();
    let d = legacy_target_api(&queue);
    assert_eq!((d.service, d.name, d.source), ("MNS", "SendMessage", ApiSource::LegacyTarget));
    assert_eq!(d.param("MessageBody").unwrap().required, Some(true));
    for form in LEGACY_ARN_FORMS
        .iter()
        .chain(cloudflow_arn_forms(crate::integrations::IntegrationKind::FunctionCompute))
    {
        assert!(crate::integrations::classify_resource_arn(form.example).is_ok(), "{}", form.example);
        assert!(crate::integrations::classify_resource_arn(form.template).is_ok(), "{}", form.template);
    }
    assert_eq!(LEGACY_ARN_FORMS[1].snippet(), "acs:fc:::services/${1:service}/functions/${2:function}");
}

/// The hand-compiled JSON in `../shared/catalog` and the Rust table (completed from the
/// CloudFlow reference) must not contradict each other.
#[test]
fn optimized_table_agrees_with_the_shared_json() {
    let path = generate::shared_catalog_dir().join("cloudflow-optimized-integrations.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not here", path.display());
        return;
    };
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    for action in json["actions"].as_array().unwrap() {
        let name = action["action"].as_str().unwrap();
        let ours =
            OPTIMIZED_INTEGRATIONS.iter().find(|i| i.action == name).unwrap_or_else(|| panic!("{name}"));
        let modes: Vec<&str> = ours.modes.iter().map(|m| m.as_str()).collect();
        let theirs: Vec<&str> =
            action["taskModes"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
        assert_eq!(modes, theirs, "{name}");
        for p in action["params"].as_array().into_iter().flatten() {
            let pname = p["name"].as_str().unwrap();
            let spec = ours.param(pname).unwrap_or_else(|| panic!("{name} {pname}"));
            if let Some(required) = p["required"].as_bool() {
                assert_eq!(spec.required, Some(required), "{name} {pname}");
            }
            let ty = store::type_name(spec.ty);
            assert_eq!(ty, p["type"].as_str().unwrap(), "{name} {pname}");
        }
    }
}
