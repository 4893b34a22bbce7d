//! A new case: upload a Phenopacket or GA4GH Family file, or enter HPO terms (observed and
//! excluded, found with the search-as-you-type box), sex and age, from which a Phenopacket v2
//! is written; optionally attach a VCF and a PED. Stored like `POST /api/v1/cases` (checksummed
//! blobs, one transaction with its `case.create` audit entry).

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use serde::Serialize;

use super::session::WebUser;
use super::{render, see_other, PageError, PageResult};
use crate::analysis::case_label;
use crate::db::{audit, cases, new_id, now};
use crate::storage::{Blob, BlobWriter};
use crate::AppState;

/// `GET /cases/new`.
pub async fn form(web: WebUser) -> PageResult<Html<String>> {
    render(
        "new_case.html",
        minijinja::context! {
            title => "New case", user => web.user.name, csrf => web.csrf, nav => "new",
            projects => web.user.projects,
        },
    )
}

#[derive(Default)]
struct Fields {
    csrf: String,
    project: String,
    label: String,
    sex: String,
    age: String,
    observed: Vec<String>,
    excluded: Vec<String>,
    case: Option<(String, Vec<u8>)>,
    files: Vec<(String, String, BlobWriter)>,
}

impl Fields {
    async fn discard(self) {
        for (_, _, w) in self.files {
            w.discard().await;
        }
    }
}

fn bad(m: impl Into<String>) -> PageError {
    PageError::Client(StatusCode::UNPROCESSABLE_ENTITY, m.into())
}

async fn read_fields(s: &AppState, mp: &mut Multipart, f: &mut Fields) -> PageResult<()> {
    let mp_err = |e: axum::extract::multipart::MultipartError| {
        PageError::from(crate::error::ApiError::from(e))
    };
    while let Some(mut field) = mp.next_field().await.map_err(mp_err)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().unwrap_or_default().to_string();
        match name.as_str() {
            "case" | "vcf" | "ped" if file_name.is_empty() => {
                // an empty file input
                while field.chunk().await.map_err(mp_err)?.is_some() {}
            }
            "case" => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(mp_err)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > 20 << 20 {
                        return Err(bad("the case file is larger than 20 MB"));
                    }
                }
                f.case = Some((file_name, bytes));
            }
            "vcf" | "ped" => {
                let mut w = s.blobs.writer().await?;
                while let Some(chunk) = field.chunk().await.map_err(mp_err)? {
                    w.write(&chunk).await?;
                }
                f.files.push((name, file_name, w));
            }
            _ => {
                let v = field.text().await.map_err(mp_err)?.trim().to_string();
                match name.as_str() {
                    "csrf" => f.csrf = v,
                    "project" => f.project = v,
                    "label" => f.label = v,
                    "sex" => f.sex = v,
                    "age" => f.age = v,
                    "observed" if !v.is_empty() => f.observed.push(v),
                    "excluded" if !v.is_empty() => f.excluded.push(v),
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Term {
    id: String,
    label: String,
}

/// A term from the form: `HP:0001250` or `HP:0001250 Seizure` (the label is looked up in the
/// knowledge base).
fn term(s: &AppState, v: &str) -> PageResult<Term> {
    let id = v.split_whitespace().next().unwrap_or_default();
    let label = super::hpo::label(s, id).map_err(|e| bad(format!("HPO term {v:?}: {e}")))?;
    Ok(Term {
        id: id.to_string(),
        label,
    })
}

/// A Phenopacket v2 from entered terms, sex and age.
fn phenopacket(s: &AppState, f: &Fields, user: &str) -> PageResult<(String, Vec<u8>)> {
    let label = if f.label.is_empty() {
        return Err(bad("give the case an id (e.g. the family or sample id)"));
    } else {
        f.label.clone()
    };
    if f.observed.is_empty() {
        return Err(bad(
            "enter at least one observed HPO term, or upload a case file",
        ));
    }
    let mut features = Vec::new();
    for (v, excluded) in f
        .observed
        .iter()
        .map(|v| (v, false))
        .chain(f.excluded.iter().map(|v| (v, true)))
    {
        let t = term(s, v)?;
        let mut feat = serde_json::json!({ "type": t });
        if excluded {
            feat["excluded"] = true.into();
        }
        features.push(feat);
    }
    let mut subject = serde_json::json!({ "id": label });
    match f.sex.as_str() {
        "" | "UNKNOWN_SEX" => {}
        "MALE" | "FEMALE" | "OTHER_SEX" => subject["sex"] = f.sex.clone().into(),
        other => {
            return Err(bad(format!(
                "sex {other:?}: expected MALE, FEMALE or OTHER_SEX"
            )))
        }
    }
    if !f.age.is_empty() {
        if !f.age.starts_with('P') {
            return Err(bad(format!(
                "age {:?}: expected an ISO 8601 duration such as P3Y or P1Y6M",
                f.age
            )));
        }
        subject["timeAtLastEncounter"] = serde_json::json!({ "age": { "iso8601duration": f.age } });
    }
    let doc = serde_json::json!({
        "id": label, "subject": subject, "phenotypicFeatures": features,
        "metaData": { "created": now(), "createdBy": user, "phenopacketSchemaVersion": "2.0",
            "resources": [{ "id": "hp", "name": "human phenotype ontology",
                "url": "http://purl.obolibrary.org/obo/hp.owl", "version": s.analyzer.kb_release(),
                "namespacePrefix": "HP", "iriPrefix": "http://purl.obolibrary.org/obo/HP_" }] },
    });
    let bytes = serde_json::to_vec_pretty(&doc).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((format!("{label}.json"), bytes))
}

/// `POST /cases/new` (multipart).
pub async fn submit(
    State(s): State<AppState>,
    web: WebUser,
    mut mp: Multipart,
) -> PageResult<Response> {
    let mut f = Fields::default();
    let r = read_fields(&s, &mut mp, &mut f).await;
    let checked = r
        .and_then(|_| web.check_csrf(&f.csrf))
        .and_then(|_| {
            if web.user.in_project(&f.project) {
                Ok(())
            } else {
                Err(PageError::Forbidden(format!(
                    "you are not a member of project {:?}",
                    f.project
                )))
            }
        })
        .and_then(|_| match f.case.take() {
            Some(c) => Ok(c),
            None => phenopacket(&s, &f, &web.user.name),
        })
        .and_then(|(name, bytes)| {
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| bad(format!("{name}: the case file is not UTF-8 text")))?;
            let label = case_label(&name, text).map_err(bad)?;
            Ok((name, bytes, label))
        });
    let (name, bytes, label) = match checked {
        Ok(x) => x,
        Err(e) => {
            f.discard().await;
            return Err(e);
        }
    };
    let id = store(&s, &web, &f.project, (name, bytes, label), f.files).await?;
    Ok(see_other(&format!("/cases/{id}")))
}

async fn store(
    s: &AppState,
    web: &WebUser,
    project: &str,
    (name, bytes, label): (String, Vec<u8>, String),
    files: Vec<(String, String, BlobWriter)>,
) -> PageResult<String> {
    let case_blob = s.blobs.put(&bytes).await?;
    let mut vcf: Option<(String, Blob)> = None;
    let mut ped: Option<(String, Blob)> = None;
    for (field, file_name, w) in files {
        let b = w.finish().await?;
        let slot = if field == "vcf" { &mut vcf } else { &mut ped };
        *slot = Some((file_name, b));
    }
    let id = new_id("c_");
    let mut tx = s.db.begin_write().await?;
    for b in std::iter::once(&case_blob)
        .chain(vcf.iter().map(|v| &v.1))
        .chain(ped.iter().map(|v| &v.1))
    {
        cases::insert_blob(&mut tx, &b.sha256, b.size).await?;
    }
    fn pair(x: &Option<(String, Blob)>) -> Option<(&str, &str)> {
        x.as_ref().map(|(n, b)| (n.as_str(), b.sha256.as_str()))
    }
    cases::insert(
        &mut tx,
        &cases::NewCase {
            id: &id,
            project,
            label: &label,
            case_file: (&name, &case_blob.sha256),
            vcf: pair(&vcf),
            ped: pair(&ped),
            created_by: &web.user.name,
        },
    )
    .await?;
    let after = serde_json::json!({
        "label": label, "case_file": name, "case_sha256": case_blob.sha256,
        "vcf": pair(&vcf), "ped": pair(&ped),
    });
    audit::record(
        &mut tx,
        audit::Change {
            actor: &web.user.name,
            project: Some(project),
            case_id: Some(&id),
            action: "case.create",
            target: None,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
