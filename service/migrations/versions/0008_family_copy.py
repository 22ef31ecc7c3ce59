"""family copies; one open signing session per document

One-time links to a signed version for the family's phone; one open signing session per document,
kept by a partial unique index (expired sessions marked lapsed first).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:00:00.000000

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OPEN = "completed_at IS NULL AND cancelled_at IS NULL AND lapsed_at IS NULL"


def upgrade():
    op.create_table(
        'family_copies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('signed_document_id', sa.String(length=32), nullable=False),
        sa.Column('code_sha256', sa.String(length=64), nullable=False),
        sa.Column('code_sealed', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('used_ip', sa.String(length=64), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_family_copies_created_by_id_users')),
        sa.ForeignKeyConstraint(['signed_document_id'], ['signed_documents.id'],
                                name=op.f('fk_family_copies_signed_document_id_signed_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_family_copies')),
        sa.UniqueConstraint('code_sha256', name=op.f('uq_family_copies_code_sha256')),
    )
    with op.batch_alter_table('family_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_copies_signed_document_id'), ['signed_document_id'], unique=False)
    with op.batch_alter_table('signing_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lapsed_at', sa.DateTime(timezone=True), nullable=True))
    # Sessions that expired while open are marked lapsed, so the index below holds for old data;
    # compared in Python, where both databases' stored times read back the same.
    sessions = sa.table('signing_sessions', sa.column('id', sa.String), sa.column('expires_at', sa.DateTime(timezone=True)),
                        sa.column('completed_at', sa.DateTime(timezone=True)),
                        sa.column('cancelled_at', sa.DateTime(timezone=True)),
                        sa.column('lapsed_at', sa.DateTime(timezone=True)))
    bind = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc)
    rows = bind.execute(sa.select(sessions.c.id, sessions.c.expires_at).where(
        sessions.c.completed_at.is_(None), sessions.c.cancelled_at.is_(None))).all()
    for row in rows:
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
        if expires <= now:
            bind.execute(sessions.update().where(sessions.c.id == row.id).values(lapsed_at=now))
    op.create_index('uq_signing_sessions_open_document', 'signing_sessions', ['document_id'], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade():
    op.drop_index('uq_signing_sessions_open_document', table_name='signing_sessions')
    with op.batch_alter_table('signing_sessions', schema=None) as batch_op:
        batch_op.drop_column('lapsed_at')
    with op.batch_alter_table('family_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_copies_signed_document_id'))
    op.drop_table('family_copies')
