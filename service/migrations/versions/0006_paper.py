"""signed versions: the version a later one replaces and why; the scan check of a paper version

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signed_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('replace_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('scan_check', sa.JSON(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_signed_documents_replaces_id'), ['replaces_id'])
        batch_op.create_foreign_key(batch_op.f('fk_signed_documents_replaces_id_signed_documents'),
                                    'signed_documents', ['replaces_id'], ['id'])


def downgrade():
    with op.batch_alter_table('signed_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signed_documents_replaces_id_signed_documents'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_signed_documents_replaces_id'), type_='unique')
        batch_op.drop_column('scan_check')
        batch_op.drop_column('replace_reason')
        batch_op.drop_column('replaces_id')
