//! The Alibaba Cloud API catalog: every OpenAPI operation a Task can call as
//! `Action: Service:Api` (CloudFlow) or `action: service:Api` (legacy), with parameters,
//! plus CloudFlow's optimized integrations in the same shape, for completion, hover and
//! `Parameters` checks.
//!
//! The data is a snapshot of 332 products and about 23.7k APIs (see
//! `schema/catalog/NOTICE.md` for sources and licences), embedded in the binary in a
//! compact form ([`format`]) and loaded lazily: a small index on first use, each product's
//! parameters on first use of that product.
//!
//! Matching follows the docs: the service part is the OpenAPI product code, compared
//! ignoring ASCII case (`ECS` is the product `Ecs`); the API part is exact. CloudFlow's
//! optimized integrations (`FC:InvokeFunction`, ...) take precedence over OpenAPI
//! operations of the same name. Parameter names are the OpenAPI's own, including flattened
//! names such as `SystemDisk.Size`; nothing is inferred beyond what the data says.

mod format;
mod fuzzy;
#[cfg(test)]
mod generate;
mod hover;
mod integration;
mod store;
#[cfg(test)]
mod tests;

use crate::Dialect;
use crate::integrations::{ArnTarget, OptimizedIntegration, ParamSpec, ParamType};

pub use hover::{hover_markdown, param_markdown};
pub use integration::{ArnForm, LEGACY_ARN_FORMS, cloudflow_arn_forms};

/// When the snapshot was taken, for messages about APIs it does not know.
pub const SNAPSHOT: &str = "April 2026";

/// One parameter of an API (or a field nested in one).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name as written under `Parameters`, e.g. `RegionId`, `SystemDisk.Size`,
    /// `resourceArn`. A name ending in `*` (e.g. `x-oss-meta-*`) stands for any suffix.
    pub name: &'static str,
    pub ty: ParamType,
    /// `Some(true)` required, `Some(false)` optional, `None` not documented.
    pub required: Option<bool>,
    /// Short English description; may be empty.
    pub description: &'static str,
    /// The allowed values, when listed.
    pub enum_values: Box<[&'static str]>,
    /// Whether `enum_values` match ignoring ASCII case.
    pub enum_ignore_case: bool,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// The value used when the parameter is omitted, as written in YAML.
    pub default: Option<&'static str>,
    /// For a parameter the docs require but Alibaba's own templates omit: what is known of
    /// the service without it (a missing one is then a warning).
    pub omitted_in_practice: Option<&'static str>,
    pub deprecated: bool,
    /// Where the OpenAPI sends it: `query`, `body`, `path`, `header`, `host`, `formData`;
    /// empty for CloudFlow's own parameters.
    pub location: &'static str,
    /// How the OpenAPI serializes it: `repeatList`, `flat`, `json`, ...; often empty.
    pub style: &'static str,
    /// `int32`, `int64`, `double`, `binary`, ...; often empty.
    pub format: &'static str,
    /// Length, item-count and pattern constraints, when there are any.
    pub limits: Option<Box<Limits>>,
    /// The element type of an array.
    pub item_type: Option<ParamType>,
    /// The fields of an object, or of each element of an array of objects.
    pub fields: Box<[Param]>,
}

/// A numeric bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub value: f64,
    /// The bound itself is not allowed.
    pub exclusive: bool,
}

/// Rarer constraints, kept out of line to keep [`Param`] small.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// A regular expression the value must match (not checked by fdl).
    pub pattern: Option<&'static str>,
}

impl Param {
    fn from_spec(p: &'static ParamSpec) -> Param {
        let bound = |v: Option<i64>| v.map(|v| Bound { value: v as f64, exclusive: false });
        Param {
            name: p.name,
            ty: p.ty,
            required: p.required,
            description: p.description,
            enum_values: p.values.into(),
            enum_ignore_case: p.values_ignore_case,
            minimum: bound(p.min),
            maximum: bound(p.max),
            default: p.default,
            omitted_in_practice: p.omitted_in_practice,
            deprecated: false,
            location: "",
            style: "",
            format: "",
            limits: None,
            item_type: None,
            fields: Box::new([]),
        }
    }

    /// Whether a key written under `Parameters` (without `.$`) names this parameter.
    pub fn matches(&self, key: &str) -> bool {
        match self.name.strip_suffix('*') {
            Some(prefix) => key.len() > prefix.len() && key.starts_with(prefix),
            None => self.name == key,
        }
    }

    /// The type as the OpenAPI writes it, with the element type of arrays
    /// (`array<string>`).
    pub fn type_label(&self) -> String {
        match (self.ty, self.item_type) {
            (ParamType::Array, Some(item)) => format!("array<{}>", store::type_name(item)),
            (ty, _) => store::type_name(ty).to_owned(),
        }
    }

    /// Whether `value` is one of the listed values (always true when none are listed).
    pub fn accepts_value(&self, value: &str) -> bool {
        self.enum_values.is_empty()
            || self
                .enum_values
                .iter()
                .any(|v| if self.enum_ignore_case { v.eq_ignore_ascii_case(value) } else { *v == value })
    }
}

/// Where an [`ApiDetail`] comes from, which decides how much its data can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiSource {
    /// The OpenAPI catalog snapshot: may lag the service.
    OpenApi,
    /// A CloudFlow optimized integration, from the CloudFlow docs.
    Optimized,
    /// An Action seen in Alibaba's examples but not on an integration page.
    Documented,
    /// A legacy `resourceArn` target and its `serviceParams`, from the legacy docs.
    LegacyTarget,
}

/// What an editor shows about one API, and what the checks read.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiDetail {
    /// The service as the catalog or the docs spell it: `Ecs`, `goodstech`, `FC`, `MNS`.
    pub service: &'static str,
    /// The product's English name, e.g. "Elastic Compute Service".
    pub product: &'static str,
    /// The product's Chinese name, when known.
    pub product_zh: &'static str,
    /// The API name, e.g. `DescribeInstances`.
    pub name: &'static str,
    /// The OpenAPI version, e.g. `2014-05-26`; empty for CloudFlow's own integrations.
    pub version: &'static str,
    /// One-line summary; may be empty (the catalog has summaries for about half the APIs).
    pub summary: &'static str,
    pub deprecated: bool,
    pub source: ApiSource,
    pub params: Vec<Param>,
    /// What the docs leave open, if anything.
    pub note: Option<&'static str>,
    /// Documentation pages.
    pub doc: &'static [&'static str],
}

impl ApiDetail {
    /// `Service:Api`.
    pub fn action(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }

    /// The parameter a key (without `.$`) names.
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == key).or_else(|| self.params.iter().find(|p| p.matches(key)))
    }
}

/// A service for `Action:` completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceItem {
    /// What to write before the colon: the docs' spelling for CloudFlow's own integrations
    /// (`FNF`, `OSS`, `EventBridge`), else the product code (`Ecs`, `goodstech`).
    pub code: &'static str,
    /// The OpenAPI product code when the catalog has the product.
    pub product_code: Option<&'static str>,
    pub name: &'static str,
    pub name_zh: &'static str,
    /// APIs in the catalog's default version (plus documented CloudFlow Actions).
    pub api_count: u32,
    /// Whether CloudFlow has optimized (or documented) Actions for it.
    pub integration: bool,
}

/// An API for `Service:` completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiItem {
    pub name: &'static str,
    pub summary: &'static str,
    pub deprecated: bool,
    /// A CloudFlow optimized (or documented) integration rather than a plain OpenAPI call.
    pub optimized: bool,
}

/// An Action found by [`search_actions`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionItem {
    pub service: &'static str,
    pub api: &'static str,
    pub deprecated: bool,
}

/// A known service, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceRef {
    pub code: &'static str,
    pub name: &'static str,
}

/// What the catalog knows about an Action.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionLookup {
    /// A known API. `params_apply` is false when the listed parameters are not the ones
    /// CloudFlow takes (OSS operations besides the documented `GetObject`), so they must
    /// not be checked.
    Found {
        detail: ApiDetail,
        params_apply: bool,
    },
    /// The service is known, the API is not (in the default version).
    UnknownApi {
        service: ServiceRef,
        /// A version of the product that has this API, when another one does.
        other_version: Option<&'static str>,
    },
    /// The catalog lists the product but has no API detail for it.
    NoApiData {
        service: ServiceRef,
    },
    UnknownService,
}

fn family_ref(f: &'static integration::Family) -> ServiceRef {
    ServiceRef { code: f.spelling, name: f.name }
}

fn product_ref(p: &'static store::Product) -> ServiceRef {
    ServiceRef { code: p.code, name: if p.name.is_empty() { p.code } else { p.name } }
}

/// The catalog product a service part names, following CloudFlow's spellings in CloudFlow.
fn product_for(dialect: Dialect, service: &str) -> Option<&'static store::Product> {
    let index = store::index()?;
    let code = match (dialect, integration::family(service)) {
        (Dialect::CloudFlow, Some(f)) => f.catalog_code?,
        _ => service,
    };
    index.product(code)
}

fn optimized_detail(i: &'static OptimizedIntegration) -> ApiDetail {
    let (service, name) = i.action.split_once(':').unwrap_or((i.action, ""));
    let family = integration::family(service);
    ApiDetail {
        service,
        product: i.service,
        product_zh: family.map(|f| f.name_zh).unwrap_or_default(),
        name,
        version: "",
        summary: hover::optimized_summary(i.action),
        deprecated: false,
        source: ApiSource::Optimized,
        params: i.params.iter().map(Param::from_spec).collect(),
        note: i.note,
        doc: i.doc,
    }
}

fn documented_detail(d: &'static integration::DocumentedAction) -> ApiDetail {
    let (service, name) = d.action.split_once(':').unwrap_or((d.action, ""));
    ApiDetail {
        service,
        product: d.service,
        product_zh: integration::family(service).map(|f| f.name_zh).unwrap_or_default(),
        name,
        version: "",
        summary: hover::optimized_summary(d.action),
        deprecated: false,
        source: ApiSource::Documented,
        params: d.params.iter().map(Param::from_spec).collect(),
        note: Some(d.note),
        doc: d.doc,
    }
}

fn product_detail(product: &'static store::Product, position: usize) -> Option<ApiDetail> {
    let detail = product.detail()?;
    let record = detail.apis.get(position)?;
    Some(ApiDetail {
        service: product.code,
        product: if product.name.is_empty() { product.code } else { product.name },
        product_zh: product.name_zh,
        name: record.name,
        version: product.version,
        summary: record.summary,
        deprecated: record.deprecated,
        source: ApiSource::OpenApi,
        params: record.params.iter().filter_map(|i| detail.params.get(*i as usize).cloned()).collect(),
        note: None,
        doc: &[],
    })
}

const OSS_NOTE: &str = "CloudFlow's OSS integration takes its own lowerCamelCase parameters, documented only \
                        for GetObject; the OpenAPI parameters listed here are for reference and are not \
                        checked.";

/// Looks up `Service:Api` (already split) for a Task of `dialect`.
pub fn lookup_action(dialect: Dialect, service: &str, api: &str) -> ActionLookup {
    let (service, api) = (service.trim(), api.trim());
    if dialect == Dialect::CloudFlow {
        if let Some(i) = integration::optimized_exact(service, api) {
            return ActionLookup::Found { detail: optimized_detail(i), params_apply: true };
        }
        if let Some(d) = integration::documented_action(service, api) {
            return ActionLookup::Found { detail: documented_detail(d), params_apply: true };
        }
    }
    let family = integration::family(service).filter(|_| dialect == Dialect::CloudFlow);
    let Some(product) = product_for(dialect, service) else {
        return match family {
            Some(f) => ActionLookup::UnknownApi { service: family_ref(f), other_version: None },
            None => ActionLookup::UnknownService,
        };
    };
    let service_ref = family.map(family_ref).unwrap_or_else(|| product_ref(product));
    if !product.has_detail() {
        return ActionLookup::NoApiData { service: service_ref };
    }
    let Some(index) = store::index() else { return ActionLookup::UnknownService };
    match index.api_position(product, api) {
        Some(position) => match product_detail(product, position) {
            Some(mut detail) => {
                let own = family.is_some() && integration::own_parameters(service);
                if own {
                    detail.note = Some(OSS_NOTE);
                }
                ActionLookup::Found { detail, params_apply: !own }
            }
            None => ActionLookup::NoApiData { service: service_ref },
        },
        None => ActionLookup::UnknownApi {
            service: service_ref,
            other_version: product.others.iter().find(|(n, _)| *n == api).map(|(_, v)| *v),
        },
    }
}

/// The API names a service has (documented CloudFlow Actions first), for did-you-mean.
pub fn api_names(dialect: Dialect, service: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if dialect == Dialect::CloudFlow {
        out.extend(integration::family_actions(service).into_iter().map(|(a, _)| a));
    }
    if let (Some(index), Some(product)) = (store::index(), product_for(dialect, service)) {
        out.extend(index.api_names(product).iter().filter(|n| !out.contains(n)).collect::<Vec<_>>());
    }
    out
}

/// Every service name an Action may start with, for did-you-mean: product codes and,
/// in CloudFlow, the docs' own spellings (`FNF`, `MNS`, `HTTP`, ...).
pub fn service_names(dialect: Dialect) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if dialect == Dialect::CloudFlow {
        out.extend(integration::FAMILIES.iter().map(|f| f.spelling));
    }
    if let Some(index) = store::index() {
        let codes: Vec<&'static str> = index
            .products
            .iter()
            .map(|p| p.code)
            .filter(|c| !out.iter().any(|o| o.eq_ignore_ascii_case(c)))
            .collect();
        out.extend(codes);
    }
    out
}

/// The detail of `Service:Api`, if the catalog (or CloudFlow's docs) knows it.
pub fn api(dialect: Dialect, service: &str, name: &str) -> Option<ApiDetail> {
    match lookup_action(dialect, service, name) {
        ActionLookup::Found { detail, .. } => Some(detail),
        _ => None,
    }
}

/// The `serviceParams` a legacy task may give for its `resourceArn` target, as an API.
pub fn legacy_target_api(target: &ArnTarget) -> ApiDetail {
    let (label, params) = integration::legacy_target(target);
    let (service, name) = match target {
        ArnTarget::FcServiceFunction { .. } | ArnTarget::FcFunction { .. } => ("FC", "InvokeFunction"),
        ArnTarget::Flow { .. } => ("FNF", "StartExecution"),
        ArnTarget::MnsQueue { .. } => ("MNS", "SendMessage"),
        ArnTarget::MnsTopic { .. } => ("MNS", "PublishMessage"),
    };
    ApiDetail {
        service,
        product: label,
        product_zh: "",
        name,
        version: "",
        summary: hover::legacy_target_summary(target),
        deprecated: false,
        source: ApiSource::LegacyTarget,
        params: params.iter().map(Param::from_spec).collect(),
        note: None,
        doc: &[integration::LEGACY_DOC],
    }
}

/// Services for `Action:` completion, best fuzzy match first (matching the code, the
/// English or the Chinese name). An empty query lists CloudFlow's own integrations first,
/// then every product by code.
pub fn services(dialect: Dialect, query: &str) -> Vec<ServiceItem> {
    let mut items: Vec<ServiceItem> = Vec::new();
    let index = store::index();
    if dialect == Dialect::CloudFlow {
        for f in integration::FAMILIES {
            let product = f.catalog_code.and_then(|c| index?.product(c));
            let actions = integration::family_actions(f.spelling);
            let extra = actions
                .iter()
                .filter(|(a, _)| product.is_none_or(|p| index.and_then(|i| i.api_position(p, a)).is_none()))
                .count();
            items.push(ServiceItem {
                code: f.spelling,
                product_code: product.map(|p| p.code),
                name: f.name,
                name_zh: product.map(|p| p.name_zh).filter(|z| !z.is_empty()).unwrap_or(f.name_zh),
                api_count: product.map_or(0, |p| p.apis.len() as u32) + extra as u32,
                integration: true,
            });
        }
    }
    if let Some(index) = index {
        let mut products: Vec<&store::Product> = index.products.iter().collect();
        products.sort_by_key(|p| p.key.as_str());
        for p in products {
            if items.iter().any(|i| i.product_code == Some(p.code)) {
                continue;
            }
            items.push(ServiceItem {
                code: p.code,
                product_code: Some(p.code),
                name: if p.name.is_empty() { p.code } else { p.name },
                name_zh: p.name_zh,
                api_count: p.apis.len() as u32,
                integration: false,
            });
        }
    }
    let mut m = fuzzy::Matcher::new(query);
    if m.is_empty() {
        return items;
    }
    let mut scored: Vec<(i32, ServiceItem)> = items
        .into_iter()
        .filter_map(|item| {
            // The code is what gets typed; names help find it, at a small discount.
            let by_code =
                [Some(item.code), item.product_code].into_iter().flatten().filter_map(|c| m.score(c)).max();
            let by_name =
                [item.name, item.name_zh].into_iter().filter_map(|n| m.score(n).map(|s| s - 8)).max();
            Some((by_code.max(by_name)?, item))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.code.len().cmp(&b.1.code.len())));
    scored.into_iter().map(|(_, item)| item).collect()
}

/// The APIs of a service for `Service:` completion, best fuzzy match first (documented
/// CloudFlow Actions first when the query is empty). Summaries come from the product's
/// detail, which this loads on first use.
pub fn apis(dialect: Dialect, service: &str, query: &str) -> Vec<ApiItem> {
    let mut items: Vec<ApiItem> = Vec::new();
    if dialect == Dialect::CloudFlow {
        for (name, _) in integration::family_actions(service) {
            let summary = hover::optimized_summary(&format!("{}:{name}", service.trim()));
            items.push(ApiItem { name, summary, deprecated: false, optimized: true });
        }
    }
    if let (Some(index), Some(product)) = (store::index(), product_for(dialect, service)) {
        let detail = product.detail();
        let range = product.apis.clone();
        for (i, name) in index.api_names(product).iter().enumerate() {
            if items.iter().any(|it| it.name == *name) {
                continue;
            }
            let summary = detail.and_then(|d| d.apis.get(i)).map(|r| r.summary).unwrap_or_default();
            let deprecated = index.deprecated.get(range.start + i).copied().unwrap_or(false);
            items.push(ApiItem { name, summary, deprecated, optimized: false });
        }
    }
    let mut m = fuzzy::Matcher::new(query);
    if m.is_empty() {
        return items;
    }
    let mut scored: Vec<(i32, ApiItem)> =
        items.into_iter().filter_map(|item| Some((m.score(item.name)?, item))).collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.deprecated.cmp(&b.1.deprecated))
            .then(a.1.name.len().cmp(&b.1.name.len()))
            .then(a.1.name.cmp(b.1.name))
    });
    scored.into_iter().map(|(_, item)| item).collect()
}

/// Fuzzy search over every API of every product (about 23.7k names) without loading any
/// product: the `limit` best matches. A query `service:api` searches one service.
pub fn search_actions(dialect: Dialect, query: &str, limit: usize) -> Vec<ActionItem> {
    if let Some((service, api)) = query.split_once(':') {
        let code = product_for(dialect, service).map(|p| p.code);
        let service = integration::family(service)
            .filter(|_| dialect == Dialect::CloudFlow)
            .map(|f| f.spelling)
            .or(code);
        let Some(service) = service else { return Vec::new() };
        return apis(dialect, service, api)
            .into_iter()
            .take(limit)
            .map(|a| ActionItem { service, api: a.name, deprecated: a.deprecated })
            .collect();
    }
    let Some(index) = store::index() else { return Vec::new() };
    let mut m = fuzzy::Matcher::new(query);
    let mut scored: Vec<(i32, u32, u32)> = Vec::new();
    for (pi, product) in index.products.iter().enumerate() {
        for i in product.apis.clone() {
            if let Some(s) = index.names.get(i).and_then(|n| m.score(n)) {
                scored.push((s, pi as u32, i as u32));
            }
        }
    }
    let by_rank = |a: &(i32, u32, u32), b: &(i32, u32, u32)| {
        let (na, nb) = (index.names[a.2 as usize], index.names[b.2 as usize]);
        b.0.cmp(&a.0).then(na.len().cmp(&nb.len())).then(a.2.cmp(&b.2))
    };
    if scored.len() > limit && limit > 0 {
        scored.select_nth_unstable_by(limit - 1, by_rank);
        scored.truncate(limit);
    }
    scored.sort_by(by_rank);
    let mut out: Vec<(i32, ActionItem)> = scored
        .into_iter()
        .take(limit)
        .map(|(score, pi, i)| {
            let product = &index.products[pi as usize];
            let service = integration::FAMILIES
                .iter()
                .find(|f| dialect == Dialect::CloudFlow && f.catalog_code == Some(product.code))
                .map_or(product.code, |f| f.spelling);
            let deprecated = index.deprecated.get(i as usize).copied().unwrap_or(false);
            (score, ActionItem { service, api: index.names[i as usize], deprecated })
        })
        .collect();
    // CloudFlow's own Actions, most of which the OpenAPI catalog does not have.
    if dialect == Dialect::CloudFlow {
        for f in integration::FAMILIES {
            for (api, _) in integration::family_actions(f.spelling) {
                if out.iter().any(|(_, a)| a.service == f.spelling && a.api == api) {
                    continue;
                }
                if let Some(score) = m.score(api) {
                    out.push((score, ActionItem { service: f.spelling, api, deprecated: false }));
                }
            }
        }
        out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.api.len().cmp(&b.1.api.len())));
        out.truncate(limit);
    }
    out.into_iter().map(|(_, item)| item).collect()
}

/// Number of products and of APIs in the embedded snapshot.
pub fn stats() -> (usize, usize) {
    store::index().map_or((0, 0), |i| (i.products.len(), i.names.len()))
}

/// What a product's first lookup costs, repeatable for benchmarks: inflating its blob and
/// decoding its payload, without touching the cache.
#[doc(hidden)]
pub struct FirstLoad {
    blob: &'static [u8],
    payload: &'static [u8],
}

impl FirstLoad {
    /// Inflates the product once (the copy is leaked, like the cache's).
    pub fn new(service: &str) -> Option<FirstLoad> {
        let product = store::index()?.product(service)?;
        let blob = product.blob();
        let payload: &'static [u8] = Box::leak(format::inflate(blob)?.into_boxed_slice());
        Some(FirstLoad { blob, payload })
    }

    /// Inflates and decodes again; returns the number of APIs.
    pub fn run(&self) -> usize {
        let inflated = format::inflate(self.blob).map_or(0, |p| p.len());
        let apis = store::decode_product(self.payload).map_or(0, |d| d.apis.len());
        std::hint::black_box(inflated);
        apis
    }
}
